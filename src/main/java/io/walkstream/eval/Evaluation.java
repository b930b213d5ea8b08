package io.walkstream.eval;

import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.config.Secrets;
import io.walkstream.gen.DatasetReplay;
import io.walkstream.gen.RatingPolicy;
import io.walkstream.model.Event;
import io.walkstream.train.VectorsFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads, splits, runs walkstream through the real job and the baselines, and gathers the figures. */
public final class Evaluation {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);

    private Evaluation() {}

    /** The harness's settings, then the configuration file on top of them, then {@code --set}. */
    public static JobConfig engineConfig(EvalSettings s) throws IOException {
        java.util.Set<String> inFile = s.configFile() == null ? java.util.Set.of() : fieldsOf(s.configFile());
        Map<String, String> all = new LinkedHashMap<>();
        EvalSettings.ENGINE_DEFAULTS.forEach((k, v) -> {
            if (!inFile.contains(k)) all.put(k, v);
        });
        all.putAll(s.overrides());
        return s.configFile() == null ? ConfigLoader.parse("", all) : ConfigLoader.load(s.configFile(), all);
    }

    /** The {@code section.field} names a configuration file sets. */
    static java.util.Set<String> fieldsOf(java.nio.file.Path file) throws IOException {
        var tree = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(java.nio.file.Files.readString(file));
        java.util.Set<String> out = new java.util.HashSet<>();
        if (tree != null && tree.isObject()) {
            tree.fields().forEachRemaining(section -> {
                if (section.getValue().isObject()) section.getValue().fieldNames().forEachRemaining(f -> out.add(section.getKey() + "." + f));
            });
        }
        return out;
    }

    public static EvalReport run(EvalSettings s) throws Exception {
        long start = System.nanoTime();
        JobConfig cfg = engineConfig(s);
        Map<String, Object> data = new LinkedHashMap<>();
        Split split = split(s, data);
        if (s.askAtEndOfTraining()) split = askedAtEnd(split);
        TrainingData training = new TrainingData(split.train());
        data.put("trainEvents", split.train().size());
        data.put("trainUsers", training.userCount());
        data.put("trainItems", training.itemCount());
        data.put("testRequests", split.tests().size());
        LOG.info("split: {} training events, {} users, {} items, {} test requests",
                split.train().size(), training.userCount(), training.itemCount(), split.tests().size());

        List<MethodResult> results = new ArrayList<>();
        LOG.info("walkstream: replaying through the job");
        Map<String, Object> job = new LinkedHashMap<>();
        results.add(WalkstreamMethod.evaluate(cfg, split, training, s.ks(), s.requestWindow(), job));
        job.forEach((k, v) -> data.put("walkstream." + k, v));
        List<Recommender> baselines = new ArrayList<>(List.of(new MostPopular(training), new ItemKnn(training),
                new ExactRp3Beta(training, s.rp3Alpha(), s.rp3Beta())));
        if (cfg.walk.seedHalfLife > 0) {
            // The exact counterpart of the walk's recency-weighted seeds: same seeds, no sampling.
            baselines.add(new ExactRp3Beta(training, s.rp3Alpha(), s.rp3Beta(), cfg.walk.seedHalfLife));
        }
        if (s.vectors() != null) {
            VectorsFile.Vectors vectors = VectorsFile.read(s.vectors());
            data.put("vectorsModel", vectors.model());
            data.put("vectorsDim", vectors.dim());
            data.put("vectorsCount", vectors.byItem().size());
            // The same replay with the vectors as item metadata in front (stamped at the first training event):
            // the job swaps them in as supplied vectors, and everything else is equal.
            long first = split.train().stream().mapToLong(e -> e.ts).min().orElse(0);
            List<Event> withVectors = new ArrayList<>(VectorsFile.events(vectors, first));
            withVectors.addAll(split.train());
            LOG.info("walkstream with trained vectors {}: replaying through the job", vectors.model());
            results.add(WalkstreamMethod.evaluate("walkstream + trained vectors (" + vectors.model() + ")", cfg,
                    new Split(withVectors, split.tests()), training, s.ks(), s.requestWindow(), new LinkedHashMap<>()));
            baselines.add(new VectorCosine(training, vectors));
        }
        for (Recommender baseline : baselines) {
            LOG.info("baseline: {}", baseline.name());
            results.add(evaluateBaseline(baseline, split, training, s.ks()));
        }
        return new EvalReport(parameters(s), cfg, data, results, (System.nanoTime() - start) / 1_000_000);
    }

    /** The same split with every request asked at the last training timestamp. */
    static Split askedAtEnd(Split split) {
        long end = split.train().stream().mapToLong(e -> e.ts).max().orElse(0);
        return new Split(split.train(), split.tests().stream()
                .map(t -> new TestCase(t.user(), Math.max(end, t.ts()), t.relevant(), t.candidates())).toList());
    }

    static MethodResult evaluateBaseline(Recommender r, Split split, TrainingData training, List<Integer> ks) {
        long t0 = System.nanoTime();
        int maxK = ks.stream().mapToInt(Integer::intValue).max().orElse(10);
        MetricsAccumulator acc = new MetricsAccumulator(r.name(), ks, training);
        for (TestCase t : split.tests()) acc.add(r.recommend(t, maxK), t.relevant());
        return acc.result((System.nanoTime() - t0) / 1_000_000);
    }

    private static Split split(EvalSettings s, Map<String, Object> data) throws IOException {
        if (s.train() != null) {
            DatasetReplay train = readLog(s.train(), s, data);
            return new Split(train.events(), PreSplitReader.read(s.test(), s.format(), train.events()));
        }
        DatasetReplay log = readLog(s.dataset(), s, data);
        List<Event> events = log.events();
        return switch (s.protocol()) {
            case LEAVE_LAST_OUT -> Splitter.leaveLastOut(events);
            case SAMPLED -> Splitter.sampled(events, s.negatives(), s.seed());
            case TIME_SPLIT -> {
                long cutoff = Splitter.cutoffAt(events, s.cutoffFraction());
                data.put("cutoffTs", cutoff);
                yield Splitter.timeSplit(events, cutoff);
            }
        };
    }

    private static DatasetReplay readLog(java.nio.file.Path file, EvalSettings s, Map<String, Object> data) throws IOException {
        DatasetReplay log = DatasetReplay.read(file, s.format(), RatingPolicy.EVERY_RATING_IS_INTERACTION);
        data.put("file", file.toString());
        data.put("events", log.events().size());
        data.put("malformedLines", log.skipped());
        data.put("malformedExamples", log.problems());
        if (log.skipped() > 0) LOG.warn("{}: {} malformed lines skipped, first: {}", file, log.skipped(), log.problems().get(0));
        return log;
    }

    private static Map<String, Object> parameters(EvalSettings s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dataset", s.dataset() == null ? null : s.dataset().toString());
        p.put("train", s.train() == null ? null : s.train().toString());
        p.put("test", s.test() == null ? null : s.test().toString());
        p.put("format", s.format().name().toLowerCase());
        p.put("protocol", s.train() != null ? "pre-split" : s.protocol().name().toLowerCase().replace('_', '-'));
        p.put("ratings", "every rating is one interaction of weight 1 (implicit feedback)");
        p.put("k", s.ks());
        p.put("seed", s.seed());
        if (s.protocol() == Protocol.SAMPLED) p.put("negatives", s.negatives());
        if (s.protocol() == Protocol.TIME_SPLIT) p.put("cutoffFraction", s.cutoffFraction());
        p.put("requestTime", s.askAtEndOfTraining() ? "end of training (all training events visible)" : "test timestamp");
        p.put("rp3Alpha", s.rp3Alpha());
        p.put("rp3Beta", s.rp3Beta());
        p.put("config", s.configFile() == null ? null : s.configFile().toString());
        p.put("harnessSettings", new java.util.TreeMap<>(EvalSettings.ENGINE_DEFAULTS));
        p.put("overrides", Secrets.masked(s.overrides())); // report.md and report.json are shared
        p.put("requestWindow", s.requestWindow());
        p.put("vectors", s.vectors() == null ? null : s.vectors().toString());
        return p;
    }
}
