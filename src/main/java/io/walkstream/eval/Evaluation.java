package io.walkstream.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.config.Secrets;
import io.walkstream.gen.DatasetReplay;
import io.walkstream.gen.RatingPolicy;
import io.walkstream.io.VectorsFile;
import io.walkstream.model.Event;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, splits, runs walkstream through the real job and the baselines, and gathers the figures.
 */
public final class Evaluation {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);

    private Evaluation() {}

    /** The harness's settings, then the configuration file on top of them, then {@code --set}. */
    public static JobConfig engineConfig(EvalSettings s) throws IOException {
        Set<String> inFile = s.configFile() == null ? Set.of() : fieldsOf(s.configFile());
        Map<String, String> all = new LinkedHashMap<>();
        EvalSettings.ENGINE_DEFAULTS.forEach(
                (k, v) -> {
                    if (!inFile.contains(k)) {
                        all.put(k, v);
                    }
                });
        all.putAll(s.overrides());
        return s.configFile() == null
                ? ConfigLoader.parse("", all)
                : ConfigLoader.load(s.configFile(), all);
    }

    /** The {@code section.field} names a configuration file sets. */
    static Set<String> fieldsOf(Path file) throws IOException {
        var tree = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        Set<String> out = new HashSet<>();
        if (tree != null && tree.isObject()) {
            tree.fields()
                    .forEachRemaining(
                            section -> {
                                if (section.getValue().isObject()) {
                                    section.getValue()
                                            .fieldNames()
                                            .forEachRemaining(
                                                    f -> out.add(section.getKey() + "." + f));
                                }
                            });
        }
        return out;
    }

    public static EvalReport run(EvalSettings s) throws Exception {
        long start = System.nanoTime();
        JobConfig cfg = engineConfig(s);
        Map<String, Object> data = new LinkedHashMap<>();
        Split read = split(s, data);
        Split split = s.askAtEndOfTraining() ? askedAtEnd(read) : read;
        TrainingData training = new TrainingData(split.train());
        data.put("trainEvents", split.train().size());
        data.put("trainUsers", training.userCount());
        data.put("trainItems", training.itemCount());
        data.put("testRequests", split.tests().size());
        LOG.info(
                "split: {} training events, {} users, {} items, {} test requests",
                split.train().size(),
                training.userCount(),
                training.itemCount(),
                split.tests().size());

        List<MethodResult> results = new ArrayList<>();
        LOG.info("walkstream: replaying through the job");
        Map<String, Object> job = new LinkedHashMap<>();
        results.add(
                WalkstreamMethod.evaluate(cfg, split, training, s.ks(), s.requestWindow(), job));
        job.forEach((k, v) -> data.put("walkstream." + k, v));
        Lineup lineup = new Lineup(s, cfg, split, training, data);
        lineup.addStandard();
        if (s.vectors() != null) {
            results.add(lineup.withTrainedVectors(VectorsFile.read(s.vectors())));
        }
        if (s.baselines()) {
            for (Supplier<Recommender> make : lineup.baselines) {
                results.add(evaluateBaseline(make, split, training, s.ks()));
            }
        }
        if (!lineup.tuning.isEmpty()) {
            data.put("tuning", lineup.tuning);
        }
        if (!lineup.notes.isEmpty()) {
            data.put("notes", lineup.notes);
        }
        return new EvalReport(
                parameters(s), cfg, data, results, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Builds the baseline (tuning it on the validation split if it tunes itself), then scores every
     * request.
     */
    private static MethodResult evaluateBaseline(
            Supplier<Recommender> make, Split split, TrainingData training, List<Integer> ks) {
        long t0 = System.nanoTime();
        Recommender baseline = make.get();
        long buildMs = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("baseline: {}", baseline.name());
        MethodResult r = evaluateBaseline(baseline, split, training, ks, true);
        // A baseline's run time: building its model (and tuning it on the validation split), then
        // scoring every request.
        return withRuntime(r, buildMs + r.runtimeMs());
    }

    /**
     * The baselines, in the order the report lists them. Each is built only when its turn comes and
     * dropped after it, so at most one holds its model in memory; the validation split is made
     * once, by the first baseline that tunes on it.
     */
    private static final class Lineup {
        final EvalSettings s;
        final JobConfig cfg;
        final Split split;
        final TrainingData training;
        final Map<String, Object> data;
        final List<Supplier<Recommender>> baselines = new ArrayList<>();
        final Map<String, Object> tuning = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        private final Sequences seqs;
        private Tuning.Validation validation;

        Lineup(
                EvalSettings s,
                JobConfig cfg,
                Split split,
                TrainingData training,
                Map<String, Object> data) {
            this.s = s;
            this.cfg = cfg;
            this.split = split;
            this.training = training;
            this.data = data;
            this.seqs = Sequences.of(split.train(), training);
        }

        Tuning.Validation validation() {
            if (validation == null) {
                Progress p =
                        Progress.start(
                                "validation split (each user's last training interaction held out)",
                                "events",
                                split.train().size());
                validation = Tuning.Validation.of(split);
                p.set(split.train().size());
                p.finish(
                        String.format(
                                Locale.ROOT,
                                "%,d validation requests",
                                validation.split().tests().size()));
                data.put("validationRequests", validation.split().tests().size());
            }
            return validation;
        }

        void addStandard() {
            baselines.add(() -> new MostPopular(training));
            baselines.add(() -> new ItemKnn(training));
            addRp3Beta();
            double h = cfg.walk.seedHalfLife;
            baselines.add(
                    () -> {
                        Map<String, Object> facts = new LinkedHashMap<>();
                        tuning.put("markov", facts);
                        return Tuning.markov(training, seqs, validation(), h, s.ks(), facts);
                    });
            addEase(h);
            baselines.add(
                    () -> {
                        Map<String, Object> facts = new LinkedHashMap<>();
                        tuning.put("bprMf", facts);
                        return BprMf.tuned(
                                training, validation(), BprMf.DEFAULT, 42, s.ks(), facts);
                    });
        }

        private void addRp3Beta() {
            CoOccurrence[] rows =
                    new CoOccurrence[1]; // shared by the two RP3β (they depend only on α)
            boolean recent = cfg.walk.seedHalfLife > 0;
            baselines.add(
                    () -> {
                        rows[0] = ExactRp3Beta.transitions(training, s.rp3Alpha());
                        return new ExactRp3Beta(
                                training,
                                s.rp3Alpha(),
                                s.rp3Beta(),
                                0,
                                recent ? rows[0] : release(rows));
                    });
            if (recent) {
                // The exact counterpart of the walk's recency-weighted seeds: same seeds, no
                // sampling.
                baselines.add(
                        () ->
                                new ExactRp3Beta(
                                        training,
                                        s.rp3Alpha(),
                                        s.rp3Beta(),
                                        cfg.walk.seedHalfLife,
                                        release(rows)));
            }
        }

        private void addEase(double h) {
            String skipped = Ease.whyNot(training.itemCount());
            if (skipped != null) {
                notes.add(skipped + ".");
                return;
            }
            Tuning.EaseFits[] fits = new Tuning.EaseFits[1];
            baselines.add(
                    () -> {
                        Map<String, Object> facts = new LinkedHashMap<>(),
                                recent = new LinkedHashMap<>();
                        tuning.put("ease", facts);
                        if (h > 0) {
                            tuning.put("easeRecentUserRow", recent);
                        }
                        fits[0] =
                                Tuning.ease(
                                        training,
                                        seqs,
                                        validation(),
                                        h,
                                        Tuning.EASE_LAMBDAS,
                                        s.ks(),
                                        facts,
                                        recent);
                        return fits[0].binary();
                    });
            if (h > 0) {
                // The binary model scored from a recency-weighted user row: no extra fit unless its
                // best λ differs.
                baselines.add(() -> fits[0].recentRow());
                baselines.add(
                        () -> {
                            Map<String, Object> facts = new LinkedHashMap<>();
                            tuning.put("easeRecencyWeightedRows", facts);
                            double lambda = fits[0].binary().lambda();
                            fits[0] = null;
                            return Tuning.easeWeightedRows(
                                    training, seqs, validation(), h, lambda, s.ks(), facts);
                        });
            }
        }

        /**
         * The same replay with the vectors as item metadata in front (stamped at the first training
         * event): the job swaps them in as supplied vectors, and everything else is equal. Adds the
         * vectors' own cosine ranking as a baseline.
         */
        MethodResult withTrainedVectors(VectorsFile.Vectors vectors) throws Exception {
            data.put("vectorsModel", vectors.model());
            data.put("vectorsDim", vectors.dim());
            data.put("vectorsCount", vectors.byItem().size());
            long first = split.train().stream().mapToLong(e -> e.ts).min().orElse(0);
            List<Event> withVectors = new ArrayList<>(VectorsFile.events(vectors, first));
            withVectors.addAll(split.train());
            LOG.info(
                    "walkstream with trained vectors {}: replaying through the job",
                    vectors.model());
            baselines.add(
                    () ->
                            new VectorCosine(
                                    training, vectors, cfg.walk.seedHalfLife, cfg.walk.maxSeeds));
            return WalkstreamMethod.evaluate(
                    "walkstream + trained vectors (" + vectors.model() + ")",
                    cfg,
                    new Split(withVectors, split.tests()),
                    training,
                    s.ks(),
                    s.requestWindow(),
                    new LinkedHashMap<>());
        }
    }

    /**
     * Hands over the shared RP3β rows and forgets them, so they are collected after their last
     * user.
     */
    private static CoOccurrence release(CoOccurrence[] holder) {
        CoOccurrence c = holder[0];
        holder[0] = null;
        return c;
    }

    private static MethodResult withRuntime(MethodResult r, long runtimeMs) {
        return new MethodResult(
                r.method(),
                r.requests(),
                r.hitRate(),
                r.ndcg(),
                r.recall(),
                r.mrr(),
                r.catalogueCoverage(),
                r.meanPopularity(),
                r.partialShare(),
                r.latencyMs(),
                runtimeMs,
                r.coldRequests(),
                r.coldHitRate());
    }

    /** The same split with every request asked at the last training timestamp. */
    static Split askedAtEnd(Split split) {
        long end = split.train().stream().mapToLong(e -> e.ts).max().orElse(0);
        return new Split(
                split.train(),
                split.tests().stream()
                        .map(
                                t ->
                                        new TestCase(
                                                t.user(),
                                                Math.max(end, t.ts()),
                                                t.relevant(),
                                                t.candidates()))
                        .toList());
    }

    static MethodResult evaluateBaseline(
            Recommender r, Split split, TrainingData training, List<Integer> ks) {
        return evaluateBaseline(r, split, training, ks, false);
    }

    /**
     * Scores every test case; with {@code progress}, prints its progress (requests done) to stderr.
     */
    static MethodResult evaluateBaseline(
            Recommender r, Split split, TrainingData training, List<Integer> ks, boolean progress) {
        long t0 = System.nanoTime();
        int maxK = ks.stream().mapToInt(Integer::intValue).max().orElse(10);
        MetricsAccumulator acc = new MetricsAccumulator(r.name(), ks, training);
        Progress p =
                progress
                        ? Progress.start("baseline " + r.name(), "requests", split.tests().size())
                        : null;
        for (TestCase t : split.tests()) {
            acc.add(r.recommend(t, maxK), t.relevant());
            if (p != null) {
                p.step();
            }
        }
        MethodResult result = acc.result((System.nanoTime() - t0) / 1_000_000);
        if (p != null) {
            p.finish(
                    String.format(
                            Locale.ROOT,
                            "HR@%d %.4f, NDCG@%d %.4f",
                            ks.get(0),
                            result.hitRate().get(ks.get(0)),
                            ks.get(0),
                            result.ndcg().get(ks.get(0))));
        }
        return result;
    }

    private static Split split(EvalSettings s, Map<String, Object> data) throws IOException {
        if (s.train() != null) {
            DatasetReplay train = readLog(s.train(), s, data);
            return new Split(
                    train.events(), PreSplitReader.read(s.test(), s.format(), train.events()));
        }
        DatasetReplay log = readLog(s.dataset(), s, data);
        List<Event> events = log.events();
        Progress p =
                Progress.start(
                        "splitting (" + s.protocol().name().toLowerCase().replace('_', '-') + ")",
                        "events",
                        events.size());
        Split out =
                switch (s.protocol()) {
                    case LEAVE_LAST_OUT -> Splitter.leaveLastOut(events);
                    case SAMPLED -> Splitter.sampled(events, s.negatives(), s.seed());
                    case TIME_SPLIT -> {
                        long cutoff = Splitter.cutoffAt(events, s.cutoffFraction());
                        data.put("cutoffTs", cutoff);
                        yield Splitter.timeSplit(events, cutoff);
                    }
                };
        p.set(events.size());
        p.finish(
                String.format(
                        Locale.ROOT,
                        "%,d training events, %,d test requests",
                        out.train().size(),
                        out.tests().size()));
        return out;
    }

    private static DatasetReplay readLog(Path file, EvalSettings s, Map<String, Object> data)
            throws IOException {
        long size = Files.size(file);
        Progress p = Progress.start("reading " + file.getFileName(), "bytes of the file", size);
        DatasetReplay log;
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                DatasetReplay.open(
                                        new CountingStream(Files.newInputStream(file), p)),
                                StandardCharsets.UTF_8))) {
            log = DatasetReplay.read(in, s.format(), RatingPolicy.EVERY_RATING_IS_INTERACTION);
        }
        p.finish(String.format(Locale.ROOT, "%,d events", log.events().size()));
        data.put("file", file.toString());
        data.put("events", log.events().size());
        data.put("malformedLines", log.skipped());
        data.put("malformedExamples", log.problems());
        if (log.skipped() > 0) {
            LOG.warn(
                    "{}: {} malformed lines skipped, first: {}",
                    file,
                    log.skipped(),
                    log.problems().get(0));
        }
        return log;
    }

    /** Counts the bytes read from the file into a progress line. */
    private static final class CountingStream extends FilterInputStream {
        private final Progress progress;

        CountingStream(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.step();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                progress.add(n);
            }
            return n;
        }
    }

    private static Map<String, Object> parameters(EvalSettings s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dataset", s.dataset() == null ? null : s.dataset().toString());
        p.put("train", s.train() == null ? null : s.train().toString());
        p.put("test", s.test() == null ? null : s.test().toString());
        p.put("format", s.format().name().toLowerCase());
        p.put(
                "protocol",
                s.train() != null
                        ? "pre-split"
                        : s.protocol().name().toLowerCase().replace('_', '-'));
        p.put("ratings", "every rating is one interaction of weight 1 (implicit feedback)");
        p.put("k", s.ks());
        p.put("seed", s.seed());
        if (s.protocol() == Protocol.SAMPLED) {
            p.put("negatives", s.negatives());
        }
        if (s.protocol() == Protocol.TIME_SPLIT) {
            p.put("cutoffFraction", s.cutoffFraction());
        }
        p.put(
                "requestTime",
                s.askAtEndOfTraining()
                        ? "end of training (all training events visible)"
                        : "test timestamp");
        p.put("rp3Alpha", s.rp3Alpha());
        p.put("rp3Beta", s.rp3Beta());
        p.put("config", s.configFile() == null ? null : s.configFile().toString());
        p.put("harnessSettings", new TreeMap<>(EvalSettings.ENGINE_DEFAULTS));
        p.put("overrides", Secrets.masked(s.overrides())); // report.md and report.json are shared
        p.put("requestWindow", s.requestWindow());
        p.put("baselines", s.baselines());
        p.put("vectors", s.vectors() == null ? null : s.vectors().toString());
        return p;
    }
}
