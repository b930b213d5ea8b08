package io.walkstream.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.walkstream.model.Validation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that shapes a training run, loadable from YAML ({@code --config}); command-line
 * options override single fields. Unknown fields are errors, like the job's configuration.
 */
public class TrainConfig {
    public enum OptimizerKind {
        ADAM,
        ADAGRAD
    }

    public enum Model {
        LIGHTGCN,
        SAGE
    }

    public enum NegativeSampling {
        UNIFORM,
        POPULARITY
    }

    /**
     * lightgcn: id vectors propagated over the user–item graph, trained for the job's recency-
     * weighted user vector with a sampled softmax; sage: the GraphSAGE model with an MLP and BPR.
     */
    public Model model = Model.LIGHTGCN;

    /** LightGCN propagation layers (0: plain item vectors). */
    public int propagationLayers = 1;

    /**
     * LightGCN: the k-th most recent of the user's items weighs 2^(−k / queryHalfLife) in the
     * query, as the job's {@code walk.seedHalfLife} weighs seeds (0: equal weights). Also the
     * validation's user vector, for both models.
     */
    public double queryHalfLife = 2;

    /** Epochs without a better validation HR@10 before training stops (0: run every epoch). */
    public int patience = 4;

    /** Dimension of the learned id vectors and attribute vectors (the layer-0 features). */
    public int inputDim = 32;

    /**
     * Neighbours sampled per node and layer, outermost first: [10, 5] = 10 users per item, then 5
     * items per user.
     */
    public List<Integer> fanouts = new ArrayList<>(List.of(10, 5));

    /** Output size of each GraphSAGE layer. */
    public int sageDim = 32;

    public String sageActivation = "relu";

    /** Hidden sizes of the MLP on top of the last GraphSAGE layer. */
    public List<Integer> hidden = new ArrayList<>(List.of(64));

    /** One activation per hidden layer (relu, leaky_relu, tanh, sigmoid, linear). */
    public List<String> activations = new ArrayList<>(List.of("relu"));

    /** Dimension of the published vectors (the MLP's linear output layer). */
    public int outDim = 32;

    public int epochs = 50;
    public int batchSize = 1024;

    /** Sampled negatives per positive pair. */
    public int negatives = 5;

    /**
     * Items drawn per batch from which the pairs take their negatives (their encodings are shared).
     */
    public int negativePool = 512;

    /**
     * uniform, or popularity: items drawn in proportion to degree^0.75 (harder negatives, as in
     * word2vec).
     */
    public NegativeSampling negativeSampling = NegativeSampling.UNIFORM;

    /**
     * A pair's query item is one of the user's previous {@code window} items before the positive.
     */
    public int window = 10;

    /** Scores are scale · cosine: the temperature of the BPR sigmoid. */
    public double scoreScale = 10;

    public OptimizerKind optimizer = OptimizerKind.ADAM;
    public double learningRate = 0.005;

    /** L2 regularisation (gradient λθ) on the weights and on the table rows a batch touches. */
    public double l2 = 1e-5;

    /** Global gradient-norm clipping per batch; 0 disables. */
    public double clipNorm = 1.0;

    /**
     * Share of items encoded from their attributes alone during training, so cold-start vectors are
     * learnt too.
     */
    public double coldStartDropout = 0.1;

    /**
     * Half-life of the time decay of edge weights for neighbour sampling, relative to the last
     * event; 0 disables.
     */
    public double halfLifeDays = 60;

    /**
     * Users whose last training interaction is held out for the validation HR@10 after each epoch
     * (0: none).
     */
    public int validationUsers = 1000;

    public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    public long seed = 42;

    public int layers() {
        return fanouts.size();
    }

    public List<String> problems() {
        List<String> p = new ArrayList<>();
        positive(p, "inputDim", inputDim);
        positive(p, "sageDim", sageDim);
        if (outDim < 2 || outDim > Validation.MAX_VECTOR) {
            p.add("outDim must be in [2, 1024], got " + outDim);
        }
        if (fanouts == null || fanouts.isEmpty() || fanouts.size() > 4) {
            p.add("fanouts: 1 to 4 layers, got " + fanouts);
        } else {
            fanouts.forEach(
                    f -> {
                        if (f == null || f < 1 || f > 100) {
                            p.add("fanouts: each in [1, 100], got " + f);
                        }
                    });
        }
        if (hidden == null || activations == null || hidden.size() != activations.size()) {
            p.add(
                    "hidden and activations must have the same length, got "
                            + hidden
                            + " and "
                            + activations);
        } else {
            hidden.forEach(
                    h -> {
                        if (h == null || h < 1) {
                            p.add("hidden: sizes must be positive, got " + h);
                        }
                    });
            for (String a : activations) {
                activation(p, "activations", a);
            }
        }
        activation(p, "sageActivation", sageActivation);
        positive(p, "epochs", epochs);
        positive(p, "batchSize", batchSize);
        positive(p, "negatives", negatives);
        if (negativePool < 2) {
            p.add("negativePool must be at least 2, got " + negativePool);
        }
        positive(p, "window", window);
        modelProblems(p);
        if (!(scoreScale > 0)) {
            p.add("scoreScale must be > 0, got " + scoreScale);
        }
        if (!(learningRate > 0)) {
            p.add("learningRate must be > 0, got " + learningRate);
        }
        if (!(l2 >= 0)) {
            p.add("l2 must be >= 0, got " + l2);
        }
        if (!(clipNorm >= 0)) {
            p.add("clipNorm must be >= 0 (0: off), got " + clipNorm);
        }
        if (!(coldStartDropout >= 0 && coldStartDropout < 1)) {
            p.add("coldStartDropout must be in [0, 1), got " + coldStartDropout);
        }
        if (!(halfLifeDays >= 0)) {
            p.add("halfLifeDays must be >= 0, got " + halfLifeDays);
        }
        if (validationUsers < 0) {
            p.add("validationUsers must be >= 0, got " + validationUsers);
        }
        if (threads < 1 || threads > 64) {
            p.add("threads must be in [1, 64], got " + threads);
        }
        if (optimizer == null) {
            p.add("optimizer must be adam or adagrad");
        }
        if (negativeSampling == null) {
            p.add("negativeSampling must be uniform or popularity");
        }
        return p;
    }

    /** The settings of the default model and of early stopping. */
    private void modelProblems(List<String> p) {
        if (propagationLayers < 0 || propagationLayers > 4) {
            p.add("propagationLayers must be in [0, 4], got " + propagationLayers);
        }
        if (!(queryHalfLife >= 0) || Double.isInfinite(queryHalfLife)) {
            p.add(
                    "queryHalfLife must be a finite number >= 0 (0: equal weights), got "
                            + queryHalfLife);
        }
        if (patience < 0) {
            p.add("patience must be >= 0 (0: no early stopping), got " + patience);
        }
        if (model == null) {
            p.add("model must be lightgcn or sage");
        }
    }

    private static void positive(List<String> p, String field, int v) {
        if (v < 1) {
            p.add(field + " must be positive, got " + v);
        }
    }

    private static void activation(List<String> p, String field, String a) {
        try {
            if (a == null) {
                throw new IllegalArgumentException("missing activation");
            }
            Activation.parse(a);
        } catch (IllegalArgumentException e) {
            p.add(field + ": " + e.getMessage());
        }
    }

    public static TrainConfig load(Path yaml) throws IOException {
        ObjectMapper m =
                YAMLMapper.builder()
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                        .build();
        TrainConfig c = m.readValue(yaml.toFile(), TrainConfig.class);
        return c == null ? new TrainConfig() : c;
    }
}
