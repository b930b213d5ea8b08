package io.walkstream.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The epochs both models train in: each a pass over the shuffled (user, position) pairs in
 * mini-batches, then the validation of the current vectors, until {@link EarlyStopping} says
 * enough; the best epoch's vectors are the result. The shuffle and every batch's seed come from
 * (seed, epoch, batch), so a run is reproducible.
 */
final class EpochLoop {
    private EpochLoop() {}

    /** One mini-batch: sample, forward, loss, backward, update; returns the batch's mean loss. */
    interface BatchStep {
        double run(long[] batch, long batchSeed) throws Exception;
    }

    static Trainer.Result run(
            TrainConfig cfg,
            TrainingGraph graph,
            HoldOut validation,
            Consumer<String> progress,
            BatchStep step,
            Supplier<float[][]> vectors)
            throws Exception {
        long[] pairs = Trainer.pairs(graph);
        EarlyStopping stop = new EarlyStopping(cfg.patience, validation.size() > 0);
        List<Trainer.Epoch> curve = new ArrayList<>();
        for (int epoch = 1; epoch <= cfg.epochs && !stop.done(); epoch++) {
            long t0 = System.nanoTime();
            double loss = epoch(cfg, epoch, pairs, progress, step);
            float[][] v = vectors.get();
            double[] val = validation.evaluate(graph, v);
            Trainer.Epoch e =
                    new Trainer.Epoch(
                            epoch, loss, val[0], val[1], (System.nanoTime() - t0) / 1_000_000);
            curve.add(e);
            boolean best = stop.offer(e, v);
            progress.accept(describe(e, cfg.epochs, pairs.length) + (best ? "  best" : ""));
        }
        progress.accept(stop.summary());
        return result(graph, curve, pairs.length, validation, stop);
    }

    /** One pass over the shuffled pairs in mini-batches; returns the mean loss of its batches. */
    private static double epoch(
            TrainConfig cfg, int epoch, long[] pairs, Consumer<String> progress, BatchStep step)
            throws Exception {
        Trainer.shuffle(pairs, new SplittableRandom(Trainer.mix(cfg.seed, epoch)));
        int batches = (pairs.length + cfg.batchSize - 1) / cfg.batchSize;
        double lossSum = 0;
        long lastReport = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            long[] batch =
                    Arrays.copyOfRange(
                            pairs,
                            b * cfg.batchSize,
                            Math.min(pairs.length, (b + 1) * cfg.batchSize));
            lossSum += step.run(batch, Trainer.mix(Trainer.mix(cfg.seed, epoch), b));
            if (System.nanoTime() - lastReport > 2_000_000_000L) {
                lastReport = System.nanoTime();
                progress.accept(
                        String.format(
                                Locale.ROOT,
                                "  epoch %d: batch %d/%d, loss %.4f",
                                epoch,
                                b + 1,
                                batches,
                                lossSum / (b + 1)));
            }
        }
        return batches == 0 ? 0 : lossSum / batches;
    }

    /** An epoch's progress line. */
    private static String describe(Trainer.Epoch e, int epochs, int pairs) {
        return String.format(
                Locale.ROOT,
                "epoch %d/%d  loss %.4f  validation HR@10 %.4f  AUC %.4f  (%d pairs, %.1f s)",
                e.epoch(),
                epochs,
                e.loss(),
                e.validationHr10(),
                e.validationAuc(),
                pairs,
                e.millis() / 1000.0);
    }

    /** The kept vectors by item id (cold items included), the curve, and what was trained on. */
    private static Trainer.Result result(
            TrainingGraph graph,
            List<Trainer.Epoch> curve,
            int pairsPerEpoch,
            HoldOut validation,
            EarlyStopping stop) {
        float[][] vectors = stop.bestVectors();
        Map<String, float[]> byId = new LinkedHashMap<>();
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] != null) {
                byId.put(graph.items[i], vectors[i]);
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("items", graph.itemCount());
        data.put("interactedItems", graph.interactedItems());
        data.put("coldStartItems", byId.size() - graph.interactedItems());
        data.put("users", graph.userCount());
        data.put("attributes", graph.attributeCount());
        data.put("pairsPerEpoch", pairsPerEpoch);
        data.put("validationPairs", validation.size());
        data.put("keptEpoch", stop.bestEpoch());
        return new Trainer.Result(byId, curve, data, stop.best());
    }
}
