package io.walkstream.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.KafkaConfig;
import io.walkstream.eval.HeapPeak;
import io.walkstream.eval.Splitter;
import io.walkstream.gen.DatasetFormat;
import io.walkstream.gen.DatasetReplay;
import io.walkstream.gen.RatingPolicy;
import io.walkstream.io.JsonCodec;
import io.walkstream.io.VectorsFile;
import io.walkstream.model.Event;
import io.walkstream.train.CatalogueAttributes;
import io.walkstream.train.HoldOut;
import io.walkstream.train.LearningCurve;
import io.walkstream.train.TrainConfig;
import io.walkstream.train.Trainer;
import io.walkstream.train.TrainingGraph;
import io.walkstream.train.VectorPublisher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code walkstream train}: GraphSAGE-style item vectors from an interaction log; optionally
 * published to the items topic.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train item vectors (GraphSAGE layers + MLP, BPR loss) from an interaction log, write a vectors file"
                        + " and a learning curve; with --publish send them to the items topic, where a running job swaps them in.")
public class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "PATH",
            description = "Interaction log (plain or gzip).")
    Path dataset;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "FORMAT",
            description = "movielens, movielens1m, taobao or csv.")
    String format;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description =
                    "Vectors file to write (JSON Lines); the learning curve goes to FILE.png.")
    Path out;

    @Option(
            names = "--config",
            paramLabel = "YAML",
            description =
                    "Training settings (fields in docs/embeddings.md); options below override them.")
    Path config;

    @Option(
            names = "--attributes",
            paramLabel = "FILE",
            description =
                    "Item catalogue with genres (u.item or movies.dat); default: found beside the dataset.")
    Path attributes;

    @Option(
            names = "--split",
            defaultValue = "leave-last-out",
            paramLabel = "S",
            description =
                    "leave-last-out: leave out each user's last interaction exactly as `eval --protocol leave-last-out` does,"
                            + " so the vectors can be evaluated on that split; time-split: train on the interactions before"
                            + " `eval --protocol time-split`'s cut-off (--cutoff); none: train on everything (default ${DEFAULT-VALUE}).")
    String split;

    @Option(
            names = "--cutoff",
            defaultValue = "0.8",
            description =
                    "With --split time-split: share of interactions before the cut-off, as eval's (default ${DEFAULT-VALUE}).")
    double cutoff;

    @Option(
            names = "--model-version",
            paramLabel = "V",
            description =
                    "Version recorded with the vectors (default: sage-<8 hex of their SHA-256>).")
    String modelVersion;

    @Option(names = "--publish", description = "Send the vectors to the items topic.")
    boolean publish;

    @Option(
            names = "--job-config",
            paramLabel = "FILE",
            description =
                    "Job configuration whose kafka section gives broker, items topic and client properties (security) for --publish.")
    Path jobConfig;

    @Option(
            names = "--set",
            paramLabel = "SECTION.FIELD=VALUE",
            description =
                    "Override a field of the job configuration, e.g. --set kafka.properties.sasl.mechanism=PLAIN (repeatable).")
    Map<String, String> jobOverrides = new LinkedHashMap<>();

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOSTS",
            description = "Kafka (default: the job configuration's, localhost:9092).")
    String bootstrapServers;

    @Option(
            names = "--items-topic",
            paramLabel = "TOPIC",
            description = "Default: the job configuration's, items.")
    String itemsTopic;

    @Option(names = "--model", description = "lightgcn (default) or sage.")
    TrainConfig.Model model;

    @Option(names = "--layers", description = "LightGCN propagation layers (propagationLayers).")
    Integer propagationLayers;

    @Option(
            names = "--query-half-life",
            description = "Recency of the user's items in the query, in interactions.")
    Double queryHalfLife;

    @Option(
            names = "--patience",
            description = "Epochs without a better validation HR@10 before stopping (0: off).")
    Integer patience;

    @Option(names = "--negative-pool", description = "Negatives drawn per batch.")
    Integer negativePool;

    @Option(names = "--window", description = "The user's previous items a query looks at.")
    Integer window;

    @Option(names = "--score-scale", description = "Score = scale x cosine.")
    Double scoreScale;

    @Option(names = "--epochs", description = "At most this many epochs.")
    Integer epochs;

    @Option(names = "--dim", description = "Output vector dimension (outDim).")
    Integer outDim;

    @Option(names = "--input-dim", description = "Id and attribute vector dimension.")
    Integer inputDim;

    @Option(names = "--sage-dim")
    Integer sageDim;

    @Option(
            names = "--fanouts",
            split = ",",
            description = "Neighbours sampled per layer, e.g. 10,5.")
    List<Integer> fanouts;

    @Option(names = "--hidden", split = ",", description = "MLP hidden sizes, e.g. 64,64.")
    List<Integer> hidden;

    @Option(
            names = "--activations",
            split = ",",
            description = "One per hidden layer: relu, leaky_relu, tanh, sigmoid, linear.")
    List<String> activations;

    @Option(names = "--negatives", description = "Negatives per positive.")
    Integer negatives;

    @Option(names = "--negative-sampling", description = "uniform or popularity.")
    TrainConfig.NegativeSampling negativeSampling;

    @Option(names = "--optimizer", description = "adam or adagrad.")
    TrainConfig.OptimizerKind optimizer;

    @Option(names = "--lr")
    Double learningRate;

    @Option(names = "--l2")
    Double l2;

    @Option(names = "--clip-norm")
    Double clipNorm;

    @Option(names = "--batch-size")
    Integer batchSize;

    @Option(names = "--half-life-days")
    Double halfLifeDays;

    @Option(names = "--validation-users")
    Integer validationUsers;

    @Option(names = "--threads")
    Integer threads;

    @Option(names = "--seed")
    Long seed;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        HeapPeak heap = HeapPeak.start();
        DatasetFormat fmt = datasetFormat();
        String splitName = splitName();
        TrainConfig cfg = settings();
        List<String> problems = cfg.problems();
        if (!problems.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "invalid training settings: " + String.join("; ", problems));
        }
        KafkaConfig kafka =
                publish ? kafka() : null; // before training, so a bad Kafka section fails at once

        // The evaluation's reader and rating policy, so the split is the evaluation's split.
        DatasetReplay log =
                DatasetReplay.read(dataset, fmt, RatingPolicy.EVERY_RATING_IS_INTERACTION);
        List<Event> events = trainingPart(splitName, log.events());
        HoldOut.Split held =
                HoldOut.split(events, cfg.validationUsers, cfg.seed, cfg.queryHalfLife);
        Path catalogue = attributes != null ? attributes : CatalogueAttributes.beside(dataset, fmt);
        int[] skipped = {0};
        Map<String, List<String>> attrs =
                catalogue == null ? Map.of() : CatalogueAttributes.read(catalogue, skipped);
        TrainingGraph graph = new TrainingGraph(held.train(), attrs, cfg.halfLifeDays);
        System.err.printf(
                Locale.ROOT,
                "train: %d events (%s), %d items (%d with interactions), %d users, %d attributes%s; %d validation users%n",
                held.train().size(),
                splitName.equals("none") ? "all" : splitName + " training part",
                graph.itemCount(),
                graph.interactedItems(),
                graph.userCount(),
                graph.attributeCount(),
                catalogue == null ? "" : " from " + catalogue,
                held.holdOut().size());

        Trainer.Result result = Trainer.run(cfg, graph, held.holdOut(), System.err::println);
        String version =
                modelVersion != null
                        ? modelVersion
                        : VectorsFile.contentVersion(
                                cfg.model.name().toLowerCase(Locale.ROOT), result.vectors());
        VectorsFile.write(
                out, version, result.vectors(), provenance(fmt, splitName, catalogue, cfg, result));
        Path png = out.resolveSibling(out.getFileName() + ".png");
        LearningCurve.write(
                result.curve(),
                "walkstream train: " + dataset.getFileName() + " (" + version + ")",
                png);

        int published = 0;
        if (publish) {
            published = VectorPublisher.publish(kafka, version, result.vectors());
            System.err.printf(
                    Locale.ROOT,
                    "published %d vectors of model %s to %s on %s%n",
                    published,
                    version,
                    kafka.itemsTopic,
                    kafka.bootstrapServers);
        }
        Trainer.Epoch last = result.kept();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", version);
        summary.put("vectors", result.vectors().size());
        summary.put("dim", cfg.outDim);
        summary.put("epoch", last.epoch());
        summary.put("loss", round(last.loss()));
        summary.put("validationHr10", round(last.validationHr10()));
        summary.put("validationAuc", round(last.validationAuc()));
        summary.put("published", published);
        summary.put("file", out.toString());
        summary.put("curve", png.toString());
        summary.put("seconds", round((System.nanoTime() - start) / 1e9));
        summary.put("peakHeapMb", heap.peakMb());
        System.out.println(JsonCodec.writeString(summary));
        return 0;
    }

    /**
     * What the vectors file records about its making: only what determines the vectors, so a seeded
     * run rewrites the same bytes.
     */
    private Map<String, Object> provenance(
            DatasetFormat fmt,
            String splitName,
            Path catalogue,
            TrainConfig cfg,
            Trainer.Result result) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("dataset", dataset.toString());
        training.put("format", fmt.name().toLowerCase(Locale.ROOT));
        training.put("split", splitName);
        if (splitName.equals("time-split")) {
            training.put("cutoff", cutoff);
        }
        training.put("attributes", catalogue == null ? null : catalogue.toString());
        // No thread count, no run times.
        Map<String, Object> settings =
                JsonCodec.mapper().convertValue(cfg, new TypeReference<>() {});
        settings.remove("threads");
        training.put("config", settings);
        training.put("data", result.data());
        training.put(
                "curve",
                result.curve().stream()
                        .map(
                                e ->
                                        Map.of(
                                                "epoch",
                                                e.epoch(),
                                                "loss",
                                                e.loss(),
                                                "validationHr10",
                                                e.validationHr10(),
                                                "validationAuc",
                                                e.validationAuc()))
                        .map(TreeMap::new)
                        .toList());
        return training;
    }

    private DatasetFormat datasetFormat() {
        DatasetFormat fmt;
        try {
            fmt = DatasetFormat.valueOf(format.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--format: unknown value '" + format + "'");
        }
        if (!Files.isReadable(dataset)) {
            throw new ParameterException(spec.commandLine(), "cannot read " + dataset);
        }
        return fmt;
    }

    private String splitName() {
        String s = split.toLowerCase(Locale.ROOT);
        if (!List.of("leave-last-out", "time-split", "none").contains(s)) {
            throw new ParameterException(
                    spec.commandLine(), "--split must be leave-last-out, time-split or none");
        }
        if (s.equals("time-split") && !(cutoff > 0 && cutoff < 1)) {
            throw new ParameterException(spec.commandLine(), "--cutoff must be in (0, 1)");
        }
        return s;
    }

    /** The events the vectors learn from: the evaluation's training part of the same split. */
    private List<Event> trainingPart(String splitName, List<Event> events) {
        return switch (splitName) {
            case "leave-last-out" -> Splitter.leaveLastOut(events).train();
            case "time-split" ->
                    Splitter.timeSplit(events, Splitter.cutoffAt(events, cutoff)).train();
            default -> events;
        };
    }

    /** The job configuration's kafka section, with the broker and items topic options over it. */
    private KafkaConfig kafka() throws IOException {
        Map<String, String> o = new LinkedHashMap<>(jobOverrides);
        if (bootstrapServers != null) {
            o.put("kafka.bootstrapServers", bootstrapServers);
        }
        if (itemsTopic != null) {
            o.put("kafka.itemsTopic", itemsTopic);
        }
        return (jobConfig == null ? ConfigLoader.parse("", o) : ConfigLoader.load(jobConfig, o))
                .kafka;
    }

    private TrainConfig settings() throws IOException {
        TrainConfig c = config == null ? new TrainConfig() : TrainConfig.load(config);
        if (epochs != null) {
            c.epochs = epochs;
        }
        if (outDim != null) {
            c.outDim = outDim;
        }
        if (inputDim != null) {
            c.inputDim = inputDim;
        }
        if (sageDim != null) {
            c.sageDim = sageDim;
        }
        if (fanouts != null) {
            c.fanouts = fanouts;
        }
        if (hidden != null) {
            c.hidden = hidden;
        }
        if (activations != null) {
            c.activations = activations;
        }
        if (hidden != null && activations == null) {
            c.activations = hidden.stream().map(h -> "relu").toList();
        }
        if (negatives != null) {
            c.negatives = negatives;
        }
        if (negativeSampling != null) {
            c.negativeSampling = negativeSampling;
        }
        if (optimizer != null) {
            c.optimizer = optimizer;
        }
        if (learningRate != null) {
            c.learningRate = learningRate;
        }
        if (l2 != null) {
            c.l2 = l2;
        }
        if (clipNorm != null) {
            c.clipNorm = clipNorm;
        }
        if (batchSize != null) {
            c.batchSize = batchSize;
        }
        if (halfLifeDays != null) {
            c.halfLifeDays = halfLifeDays;
        }
        if (validationUsers != null) {
            c.validationUsers = validationUsers;
        }
        if (threads != null) {
            c.threads = threads;
        }
        if (seed != null) {
            c.seed = seed;
        }
        modelSettings(c);
        return c;
    }

    private void modelSettings(TrainConfig c) {
        if (model != null) {
            c.model = model;
        }
        if (propagationLayers != null) {
            c.propagationLayers = propagationLayers;
        }
        if (queryHalfLife != null) {
            c.queryHalfLife = queryHalfLife;
        }
        if (patience != null) {
            c.patience = patience;
        }
        if (negativePool != null) {
            c.negativePool = negativePool;
        }
        if (window != null) {
            c.window = window;
        }
        if (scoreScale != null) {
            c.scoreScale = scoreScale;
        }
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }
}
