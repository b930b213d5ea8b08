package io.walkstream.cli;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.config.KafkaConfig;
import io.walkstream.gen.DatasetFormat;
import io.walkstream.gen.DatasetReplay;
import io.walkstream.gen.ReplayWorkload;
import io.walkstream.gen.ShopGenerator;
import io.walkstream.gen.ShopWorkload;
import io.walkstream.gen.Workload;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.KafkaJob;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.serve.GatewayServer;
import io.walkstream.serve.GatewaySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The one-command embedded run: a Kafka broker in this JVM, the job on a local mini cluster with
 * its web UI, and a feeder sending a synthetic shop (or a real log) plus requests through Kafka.
 * Live status goes to stderr every second; one JSON summary line goes to stdout at the end.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run everything in one process: Kafka broker, Flink job with web UI, data generator.")
public class DemoCommand implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();

    @Option(
            names = "--seconds",
            description =
                    "Stop after this many seconds; 0 runs until Ctrl-C (default ${DEFAULT-VALUE}).")
    int seconds = 0;

    @Option(names = "--rate", description = "Events per second (default ${DEFAULT-VALUE}).")
    double rate = 1000;

    @Option(
            names = "--request-rate",
            description = "Requests per second (default ${DEFAULT-VALUE}).")
    double requestRate = 20;

    @Option(
            names = "--bad-share",
            description = "Share of extra malformed records (default ${DEFAULT-VALUE}).")
    double badShare = 0.003;

    @Option(
            names = "--warmup",
            description =
                    "Least seconds of events and unmeasured warm-up requests before the first measured request (default ${DEFAULT-VALUE}); the warm-up goes on until the last 50 warm-up answers came back within --warmup-target-ms, for at most --warmup-max seconds.")
    double warmupSeconds = 3;

    @Option(
            names = "--warmup-max",
            description = "Most seconds of warm-up (default ${DEFAULT-VALUE}).")
    double warmupMaxSeconds = 60;

    @Option(
            names = "--warmup-target-ms",
            description =
                    "Round trip the last 50 warm-up answers must all be within (default ${DEFAULT-VALUE}).")
    long warmupTargetMs = 50;

    @Option(names = "--k", description = "Items per request (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = "--seed", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(
            names = "--dataset",
            paramLabel = "PATH",
            description = "Replay this log instead of the synthetic shop.")
    Path dataset;

    @Option(
            names = "--format",
            description =
                    "Format of --dataset: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    DatasetFormat format = DatasetFormat.CSV;

    @Option(
            names = "--ui-port",
            description = "Flink web UI port (default ${DEFAULT-VALUE}; a free one if taken).")
    int uiPort = LocalFlink.DEFAULT_UI_PORT;

    @Option(
            names = "--http-port",
            description = "Gateway HTTP port (default ${DEFAULT-VALUE}; a free one if taken).")
    int httpPort = 8080;

    @Option(
            names = "--grpc-port",
            description = "Gateway gRPC port (default ${DEFAULT-VALUE}; a free one if taken).")
    int grpcPort = 9090;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        Workload workload = workload();
        System.err.println("starting Kafka (KRaft, in-process) …");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig cfg =
                    options.load(
                            Map.of(
                                    "kafka.bootstrapServers",
                                    kafka.bootstrapServers(),
                                    "kafka.startOffsets",
                                    "EARLIEST"));
            KafkaConfig topics = cfg.kafka;
            kafka.createTopics(topics.partitions, topics.allTopics());

            Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
            StreamExecutionEnvironment env = LocalFlink.withWebUi(conf, uiPort);
            options.apply(env);
            KafkaJob.attach(cfg, env);
            JobClient job = env.executeAsync(cfg.job.name);
            System.err.printf(
                    "Kafka on %s, Flink web UI on http://localhost:%d, parallelism %d, %s — Ctrl-C stops%n",
                    kafka.bootstrapServers(),
                    conf.get(RestOptions.PORT),
                    cfg.job.parallelism,
                    dataset == null ? "synthetic shop" : "replaying " + dataset);

            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        stop.countDown();
                                        try {
                                            done.await(
                                                    60,
                                                    TimeUnit.SECONDS); // let the main thread print
                                            // the summary
                                        } catch (InterruptedException ignored) {
                                            Thread.currentThread().interrupt();
                                        }
                                    },
                                    "walkstream-demo-stop"));

            GatewayServer gateway = startGateway(cfg);
            Feeder feeder =
                    new Feeder(
                            topics,
                            workload,
                            new Feeder.Rates(rate, requestRate, badShare, k),
                            new WarmUp(warmupSeconds, warmupMaxSeconds, warmupTargetMs),
                            seed);
            ResultsWatcher watcher = new ResultsWatcher(topics, feeder);
            String summary;
            try {
                watcher.start();
                feeder.start();
                report(feeder, watcher);
                feeder.close();
                if (feeder.warmedUpAt() < 0) {
                    System.err.println(
                            "the warm-up had not ended when the demo stopped: no request was measured"
                                    + " (run longer, or lower --warmup-max)");
                }
                drain(feeder, watcher);
                summary = summary(feeder, watcher);
            } finally {
                watcher.close();
                gateway.close();
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            System.out.println(summary);
            System.out.flush();
        } finally {
            done.countDown();
        }
        return 0;
    }

    /** The synchronous gateway on localhost, so a newcomer can curl the running demo. */
    private GatewayServer startGateway(JobConfig cfg) throws Exception {
        int http = LocalFlink.isFree(httpPort) ? httpPort : LocalFlink.freePort();
        int grpc = LocalFlink.isFree(grpcPort) ? grpcPort : LocalFlink.freePort();
        GatewayServer gateway =
                GatewayServer.start(
                        GatewaySettings.from(cfg, "127.0.0.1", http, grpc), Duration.ofSeconds(60));
        System.err.printf(
                "console on http://localhost:%d/ — gateway there too (gRPC localhost:%d), try: curl -s localhost:%d/v1/recommendations -d '{\"user\":\"u:1\",\"k\":3}'%n",
                gateway.httpPort(), gateway.grpcPort(), gateway.httpPort());
        return gateway;
    }

    private Workload workload() throws IOException {
        if (dataset == null) {
            return new ShopWorkload(new ShopGenerator(ShopGenerator.Params.defaults(), seed));
        }
        DatasetReplay replay = DatasetReplay.read(dataset, format);
        System.err.printf(
                "read %,d events from %s (%d unreadable lines skipped)%n",
                replay.events().size(), dataset, replay.skipped());
        return new ReplayWorkload(replay, seed);
    }

    /** One status line a second (and a sample answer every 10 s) until the time is up or Ctrl-C. */
    private void report(Feeder feeder, ResultsWatcher watcher) throws InterruptedException {
        long start = System.nanoTime();
        long lastEvents = 0, lastRequests = 0;
        boolean warmedUp = false;
        for (int second = 1; seconds == 0 || second <= seconds; second++) {
            long due = start + second * 1_000_000_000L;
            if (stop.await(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            long ev = feeder.events.get(), rq = feeder.requests.get();
            System.err.printf(
                    Locale.ROOT,
                    "[%4ds] events %,6d/s (%,d) | requests %,4d/s (%,d) | answered %,d (partial %,d) | round trip p50 %d ms p99 %d ms | dead letters %,d%s%n",
                    second,
                    ev - lastEvents,
                    ev,
                    rq - lastRequests,
                    rq,
                    watcher.answered.get(),
                    watcher.partial.get(),
                    watcher.percentileMs(50),
                    watcher.percentileMs(99),
                    watcher.deadLetters.get(),
                    feeder.warmedUpAt() < 0 ? " | warming up" : "");
            lastEvents = ev;
            lastRequests = rq;
            if (!warmedUp && feeder.warmedUpAt() >= 0) {
                warmedUp = true;
                System.err.println(
                        feeder.warmUp.outcome(feeder.warmedUpAt()) + "; measuring from here");
            }
            if (second % 10 == 0) {
                printSample(watcher.sample.get());
            }
            if (feeder.finished()) {
                System.err.println("the dataset has been replayed completely");
                break;
            }
        }
    }

    /** After the feeder stops, wait briefly for answers still in flight. */
    private static void drain(Feeder feeder, ResultsWatcher watcher) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline
                && watcher.answered.get() < feeder.requests.get()) {
            Thread.sleep(100);
        }
    }

    private static void printSample(Recommendation r) {
        if (r == null) {
            return;
        }
        StringBuilder sb =
                new StringBuilder("  sample: ")
                        .append(r.requestId)
                        .append(" for ")
                        .append(r.user != null ? r.user : "items like " + r.item)
                        .append(r.partial ? " (partial)" : "")
                        .append('\n');
        for (int i = 0; i < Math.min(3, r.items.length); i++) {
            RecommendedItem it = r.items[i];
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "    %d. %-10s score %.3f  %s%n",
                            i + 1,
                            it.item,
                            it.score,
                            it.reasons == null ? "" : String.join("; ", it.reasons)));
        }
        System.err.print(sb);
    }

    static String summary(Feeder feeder, ResultsWatcher watcher) {
        return String.format(
                Locale.ROOT,
                "{\"events\":%d,\"requests\":%d,\"answered\":%d,\"partial\":%d,\"deadLetters\":%d,\"p50Ms\":%d,\"p99Ms\":%d}",
                feeder.events.get(),
                feeder.requests.get(),
                watcher.answered.get(),
                watcher.partial.get(),
                watcher.deadLetters.get(),
                watcher.percentileMs(50),
                watcher.percentileMs(99));
    }
}
