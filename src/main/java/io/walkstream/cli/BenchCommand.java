package io.walkstream.cli;

import io.walkstream.bench.BenchReport;
import io.walkstream.bench.BenchSettings;
import io.walkstream.bench.FreshnessBenchmark;
import io.walkstream.bench.IngestBenchmark;
import io.walkstream.bench.IngestFloor;
import io.walkstream.bench.MemoryBenchmark;
import io.walkstream.bench.ReferenceBenchmark;
import io.walkstream.bench.RequestBenchmark;
import io.walkstream.bench.SoakBenchmark;
import io.walkstream.bench.SurgeBenchmark;
import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig;
import io.walkstream.gen.ShopGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code walkstream bench}: ingest, request, freshness and memory benchmarks of the real job, with
 * a report; ingest and request figures also as ratios to an in-process reference measured first in
 * the same run ({@link ReferenceBenchmark}).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark the real job on a local Flink mini cluster fed by the synthetic shop: ingest events/s,"
                        + " request rate and latency under concurrent ingest, freshness, state bytes per edge. Ingest and request"
                        + " figures are also given as ratios to an in-process reference (the same shop and walk in plain arrays, no"
                        + " Flink) measured first in the same run; ingest also runs the same events through the smallest keyed"
                        + " Flink job (one counter per keyed record, 2, 5 and 15 records per interaction): what Flink costs before"
                        + " the job's own work. Prints a table and writes bench.md, bench.json, latency.png and"
                        + " throughput.png to --out.")
public class BenchCommand implements Callable<Integer> {
    enum Scenario {
        ingest,
        requests,
        freshness,
        memory,
        reference,
        surge,
        soak,
        all
    }

    @Spec CommandSpec spec;

    @Mixin ConfigOptions options = new ConfigOptions();

    @Option(
            names = "--scenario",
            defaultValue = "all",
            description =
                    "ingest, requests, freshness, memory, reference (the in-process reference alone), soak (not part of all:"
                            + " --soak-minutes of steady load), surge (not part of all: --surge-rate, twice that for"
                            + " --surge-seconds, then --surge-rate again, with admission at --surge-rate) or all (default ${DEFAULT-VALUE}).")
    Scenario scenario;

    @Option(
            names = "--soak-minutes",
            defaultValue = "30",
            description =
                    "Soak: minutes of steady ingest (--ingest-rate, default 10,000/s) and requests (--soak-request-rate)"
                            + " on the soak's shop (100,000 users, 20,000 items; --users/--items change it), checkpoints on, with a state TTL"
                            + " of a sixth of the run, at most 5 minutes (--set graph.stateTtlMs=… overrides it) (default ${DEFAULT-VALUE}).")
    double soakMinutes;

    @Option(
            names = "--soak-request-rate",
            defaultValue = "20",
            description = "Soak: requests per second (default ${DEFAULT-VALUE}).")
    double soakRequestRate;

    @Option(
            names = "--soak-full-gc-seconds",
            defaultValue = "150",
            description =
                    "Soak: seconds between the full collections that read the heap's live set (default ${DEFAULT-VALUE}; 0: none).")
    double soakFullGcSeconds;

    @Option(
            names = "--soak-sample-seconds",
            defaultValue = "10",
            description = "Soak: seconds between samples (default ${DEFAULT-VALUE}).")
    double soakSampleSeconds;

    @Option(
            names = "--surge-rate",
            defaultValue = "100",
            description =
                    "Surge: the base request rate, per second: the sustained rate the requests scenario measured"
                            + " (default ${DEFAULT-VALUE}). Admission is set to it unless walk.maxRequestsPerSecond is.")
    double surgeRate;

    @Option(
            names = "--surge-seconds",
            defaultValue = "60",
            description = "Surge: seconds at twice the base rate (default ${DEFAULT-VALUE}).")
    int surgeSeconds;

    @Option(
            names = "--surge-warmup-seconds",
            defaultValue = "20",
            description =
                    "Surge: seconds at the base rate first, not reported (default ${DEFAULT-VALUE}; 10 left the first"
                            + " reported seconds at p50 2 s).")
    int surgeWarmupSeconds;

    @Option(
            names = "--surge-calm-seconds",
            defaultValue = "20",
            description =
                    "Surge: seconds at the base rate after the surge; half as many before it (default ${DEFAULT-VALUE}).")
    int surgeCalmSeconds;

    @Option(
            names = "--reference-seconds",
            description =
                    "Reference: seconds of requests measured on 1 and again on 2 threads, after a warm-up (default 10; --quick 5).")
    Integer referenceSeconds;

    @Option(
            names = "--no-reference",
            description = "Do not measure the in-process reference (no ratios).")
    boolean noReference;

    @Option(
            names = "--quick",
            description = "A tenth of the shop, shorter steps: all scenarios in a few minutes.")
    boolean quick;

    @Option(
            names = "--backend",
            defaultValue = "heap",
            description = "heap or rocksdb (default ${DEFAULT-VALUE}).")
    String backend;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--kafka",
            description = "Ingest: also measure end to end from a local Kafka broker.")
    boolean kafka;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Where to write the report.")
    Path out;

    @Option(
            names = "--events",
            description = "Ingest and memory: events (default 10,000,000; --quick 1,000,000).")
    Long events;

    @Option(names = "--users", description = "Shop users (default 1,000,000; --quick 100,000).")
    Integer users;

    @Option(
            names = "--items",
            description = "Shop items at the start (default 200,000; --quick 20,000).")
    Integer items;

    @Option(
            names = "--rates",
            split = ",",
            description =
                    "Requests: rates to step through, per second (default 100,…,1400; --quick 200,500,750,1000).")
    double[] rates;

    @Option(
            names = "--step-seconds",
            description = "Requests: seconds per rate step (default 15; --quick 6).")
    Integer stepSeconds;

    @Option(
            names = "--preload",
            description =
                    "Requests and freshness: events loaded first (default 2,000,000; --quick 200,000).")
    Long preload;

    @Option(
            names = "--freshness-seconds",
            description = "Freshness: how long probes run (default 30; --quick 8).")
    Integer freshnessSeconds;

    @Option(
            names = "--ingest-rate",
            description =
                    "Requests and freshness: concurrent ingest, events/s (default 50,000). Soak: its steady ingest (default 10,000).")
    Double ingestRate;

    @Option(
            names = "--walkers",
            defaultValue = "1000",
            description = "Requests: walkers per request (default ${DEFAULT-VALUE}).")
    int walkers;

    @Option(
            names = "--checkpoint-ms",
            defaultValue = RuntimeConfig.DEFAULT_CHECKPOINT_INTERVAL_MS,
            description =
                    "Checkpoint interval during ingest, requests and freshness runs (default ${DEFAULT-VALUE}, the job's"
                            + " job.checkpointIntervalMs; 0: off).")
    long checkpointMs;

    @Override
    public Integer call() throws Exception {
        boolean soak = scenario == Scenario.soak;
        BenchSettings s = settings(soak);
        s.config = jobConfig(s, soak);
        // --set job.stateBackend=… wins over --backend: report the backend the job really runs on.
        RuntimeConfig.StateBackend sb = s.config.job.stateBackend;
        backend = sb == RuntimeConfig.StateBackend.ROCKSDB ? "rocksdb" : "heap";
        if (soak && s.config.job.checkpointIntervalMs <= 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "the soak reads the state's size from its checkpoints: keep them on (--checkpoint-ms > 0)");
        }
        if (options.config == null && !options.overrides.containsKey("strategies.dir")) {
            s.config.strategies.dir =
                    null; // the engine's plain walk, not the shipped channel strategies
        }
        BenchReport report = new BenchReport(params(s, sb, soak), parallelism);
        runScenarios(s, report, sb == RuntimeConfig.StateBackend.HASHMAP);
        report.write(out);
        System.out.println(report.table());
        List<Path> written =
                Stream.of(
                                "bench.md",
                                "bench.json",
                                "latency.png",
                                "throughput.png",
                                "soak.png",
                                "surge.png")
                        .map(out::resolve)
                        .filter(Files::exists)
                        .toList();
        System.out.println("written: " + written);
        return 0;
    }

    /**
     * The scenarios' sizes and rates: the defaults, --quick, the scenario's own shop, then the
     * options given.
     */
    private BenchSettings settings(boolean soak) {
        BenchSettings s = new BenchSettings();
        if (quick) {
            s.quick();
        }
        if (events != null) {
            s.events = events;
        }
        if (soak) {
            s.shop = BenchSettings.soakShop();
        }
        if (users != null || items != null) {
            var p = s.shop;
            s.shop =
                    new ShopGenerator.Params(
                            users == null ? p.users() : users,
                            items == null ? p.initialItems() : items,
                            p.categories(),
                            p.brands(),
                            p.userSkew(),
                            p.itemSkew(),
                            p.newItemEvery(),
                            p.concurrentSessions());
        }
        if (rates != null) {
            s.requestRates = rates;
        }
        if (stepSeconds != null) {
            s.stepMs = stepSeconds * 1000L;
        }
        if (preload != null) {
            s.preload = preload;
        }
        if (freshnessSeconds != null) {
            s.freshnessMs = freshnessSeconds * 1000L;
        }
        if (referenceSeconds != null) {
            s.referenceMs = referenceSeconds * 1000L;
            s.referenceWarmupMs = Math.min(s.referenceWarmupMs, s.referenceMs);
        }
        if (ingestRate != null) {
            s.ingestRate = ingestRate;
            s.soakIngestRate = ingestRate;
        }
        s.soakMs = Math.round(soakMinutes * 60_000);
        s.soakSampleMs = Math.round(soakSampleSeconds * 1000);
        s.soakRequestRate = soakRequestRate;
        s.soakFullGcMs = Math.round(soakFullGcSeconds * 1000);
        if (soak && (s.soakMs <= 0 || s.soakSampleMs <= 0 || soakRequestRate <= 0)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--soak-minutes, --soak-sample-seconds and --soak-request-rate must be positive");
        }
        s.walkers = walkers;
        s.kafka = kafka;
        s.bufferTimeoutMs = options.bufferTimeoutMs;
        return s;
    }

    /**
     * The job's configuration: the benchmark's settings (backend, checkpoints, walkers, a soak's
     * TTL) under the user's.
     */
    private JobConfig jobConfig(BenchSettings s, boolean soak) throws Exception {
        RuntimeConfig.StateBackend sb =
                switch (backend.toLowerCase(Locale.ROOT)) {
                    case "heap", "hashmap" -> RuntimeConfig.StateBackend.HASHMAP;
                    case "rocksdb" -> RuntimeConfig.StateBackend.ROCKSDB;
                    default ->
                            throw new ParameterException(
                                    spec.commandLine(), "--backend must be heap or rocksdb");
                };
        Path checkpoints = Files.createTempDirectory("walkstream-bench-checkpoints");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("job.parallelism", Integer.toString(parallelism));
        extra.put("job.stateBackend", sb.name());
        extra.put("job.checkpointIntervalMs", Long.toString(checkpointMs));
        extra.put("job.checkpointDir", checkpoints.toUri().toString());
        extra.put("walk.maxWalkers", Integer.toString(Math.max(walkers, 1000)));
        // The soak's nodes must expire within the run: a TTL of a sixth of it, at most 5 minutes
        // (--set wins).
        if (soak) {
            extra.put(
                    "graph.stateTtlMs",
                    Long.toString(Math.max(1_000, Math.min(300_000, s.soakMs / 6))));
        }
        return options.load(extra);
    }

    /** What the report prints as the run's parameters. */
    private Map<String, Object> params(
            BenchSettings s, RuntimeConfig.StateBackend sb, boolean soak) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(
                "command",
                "walkstream "
                        + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        params.put("scenario", scenario.name());
        params.put("backend", sb.name());
        params.put("parallelism", parallelism);
        params.put("checkpointIntervalMs", checkpointMs);
        params.put("bufferTimeoutMs", s.bufferTimeoutMs);
        params.put("shop", s.shop.toString());
        params.put("events", s.events);
        params.put("preload", s.preload);
        params.put("walkAlignment", s.config.walk.alignment.name());
        params.put("referenceSeconds", s.referenceMs / 1000.0);
        if (scenario == Scenario.surge) {
            params.put("surgeRatePerSecond", surgeRate);
            params.put("surgeSeconds", surgeSeconds);
            params.put("ingestPerSecond", s.ingestRate);
        }
        if (soak) {
            params.put("soakMinutes", soakMinutes);
            params.put("soakIngestPerSecond", s.soakIngestRate);
            params.put("soakRequestsPerSecond", s.soakRequestRate);
            params.put("soakSampleSeconds", soakSampleSeconds);
            params.put("soakFullGcSeconds", soakFullGcSeconds);
            params.put("stateTtlMs", s.config.graph.stateTtlMs);
        }
        return params;
    }

    /**
     * The scenarios asked for, the in-process reference first (the job's figures are divided by
     * it).
     */
    private void runScenarios(BenchSettings s, BenchReport report, boolean heap) throws Exception {
        Consumer<String> status = line -> System.err.print("\r\033[K" + line);
        boolean all = scenario == Scenario.all;
        boolean refIngest = all || scenario == Scenario.ingest || scenario == Scenario.reference;
        boolean refRequests =
                all || scenario == Scenario.requests || scenario == Scenario.reference;
        if (!noReference && (refIngest || refRequests)) {
            report.add(ReferenceBenchmark.run(s, refIngest, refRequests, status));
            done(status);
            System.gc(); // the reference's graph is garbage now: leave the job a clean heap
        }
        if (all || scenario == Scenario.ingest) {
            runIngest(s, report, heap, status);
        }
        if (all || scenario == Scenario.requests) {
            RequestBenchmark.Result r = RequestBenchmark.run(s, status);
            report.add(r, r.stepLatency());
            done(status);
        }
        if (all || scenario == Scenario.freshness) {
            report.add(FreshnessBenchmark.run(s, s.freshnessRequestRate, status));
            done(status);
        }
        if ((all || scenario == Scenario.memory) && heap) {
            report.add(MemoryBenchmark.run(s, status));
            done(status);
        } else if (all || scenario == Scenario.memory) {
            System.err.println(
                    "memory: skipped (it measures heap state; run it with --backend heap)");
        }
        if (scenario == Scenario.surge) {
            var phases =
                    new SurgeBenchmark.Phases(
                            surgeWarmupSeconds,
                            Math.max(1, surgeCalmSeconds / 2),
                            surgeSeconds,
                            surgeCalmSeconds);
            report.add(SurgeBenchmark.run(s, surgeRate, phases, status));
            done(status);
        }
        if (scenario == Scenario.soak) {
            System.err.printf(
                    Locale.ROOT,
                    "soak: %.0f min at %,.0f events/s and %,.0f requests/s, %s backend, checkpoints every %,d ms,"
                            + " state TTL %,d ms (graph.stateTtlMs), shop %s%n",
                    soakMinutes,
                    s.soakIngestRate,
                    s.soakRequestRate,
                    backend,
                    s.config.job.checkpointIntervalMs,
                    s.config.graph.stateTtlMs,
                    s.shop);
            report.add(SoakBenchmark.run(s, status));
            done(status);
        }
    }

    /**
     * The floors' keyed records per interaction: its two ends; what the job sends without
     * transition edges (Seed, Item, Context and Score, and Item's trending update); and with the
     * shop's ~10 transition edges.
     */
    private static final int[] FLOOR_RECORDS = {2, 5, 15};

    private void runIngest(
            BenchSettings s, BenchReport report, boolean heap, Consumer<String> status)
            throws Exception {
        report.add(
                backend,
                IngestBenchmark.inProcess(
                        s, n -> status.accept(String.format(Locale.ROOT, "ingest: %,d events", n))),
                heap ? 800_000.0 : 150_000.0);
        done(status);
        for (int perInteraction : FLOOR_RECORDS) {
            report.add(
                    backend,
                    IngestFloor.run(
                            s,
                            perInteraction,
                            n ->
                                    status.accept(
                                            String.format(
                                                    Locale.ROOT,
                                                    "ingest floor, %d records per interaction: %,d events",
                                                    perInteraction,
                                                    n))),
                    null);
            done(status);
        }
        if (kafka) {
            report.add(
                    backend,
                    IngestBenchmark.fromKafka(
                            s,
                            n ->
                                    status.accept(
                                            n < 0
                                                    ? String.format(
                                                            Locale.ROOT,
                                                            "ingest from Kafka: writing %,d events to the broker",
                                                            -n)
                                                    : String.format(
                                                            Locale.ROOT,
                                                            "ingest from Kafka: %,d events applied",
                                                            n))),
                    heap ? 400_000.0 : null);
            done(status);
        }
    }

    private static void done(Consumer<String> status) {
        System.err.print("\r\033[K");
    }
}
