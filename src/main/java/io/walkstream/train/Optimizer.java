package io.walkstream.train;

import java.util.List;

/**
 * Applies one batch's gradients. Tables are updated only in the rows the batch touched ("lazy"
 * updates).
 */
public interface Optimizer {
    void step(List<Param> params, Grads g);

    static Optimizer of(TrainConfig.OptimizerKind kind, List<Param> params, double learningRate) {
        return kind == TrainConfig.OptimizerKind.ADAGRAD
                ? new Adagrad(params, learningRate)
                : new Adam(params, learningRate);
    }
}
