package io.walkstream.cli;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.config.KafkaConfig;
import io.walkstream.gen.ShopGenerator;
import io.walkstream.gen.ShopWorkload;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.KafkaJob;
import io.walkstream.io.RecommendationSerializer;
import io.walkstream.serve.GatewayServer;
import io.walkstream.serve.GatewaySettings;
import io.walkstream.serve.grpc.RecommendRequest;
import io.walkstream.serve.grpc.RecommenderGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures what the gateway adds to a call. Starts an embedded broker, the job and a gateway, feeds
 * the synthetic shop's events, then runs the same closed-loop load (N callers, each sending its
 * next request when the previous answer arrives) three ways, one after another: straight through
 * Kafka (produce the request, wait for the answer on an assigned consumer: the bare path), through
 * the gateway's HTTP API, and through its gRPC API. Prints p50/p99 and calls/s of each, and one
 * JSON line on stdout.
 */
@Command(
        name = "gateway-load",
        mixinStandardHelpOptions = true,
        description =
                "Load-test the gateway against the bare Kafka path (embedded broker and job).")
public class GatewayLoadCommand implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();

    @Option(names = "--seconds", description = "Length of each phase (default ${DEFAULT-VALUE}).")
    int seconds = 15;

    @Option(
            names = "--concurrency",
            description = "Callers in the closed loop (default ${DEFAULT-VALUE}).")
    int concurrency = 8;

    @Option(
            names = "--warmup",
            description = "Seconds of events before the first phase (default ${DEFAULT-VALUE}).")
    int warmupSeconds = 10;

    @Option(
            names = "--rate",
            description = "Background events per second (default ${DEFAULT-VALUE}).")
    double rate = 1000;

    @Option(names = "--k", description = "Items per request (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(
            names = "--timeout-ms",
            description = "Deadline of each call (default ${DEFAULT-VALUE}).")
    long timeoutMs = 2000;

    /** Result of one phase. */
    record Phase(String name, long calls, long failures, double seconds, long p50Us, long p99Us) {
        double callsPerSecond() {
            return calls / seconds;
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-6s %,7d calls in %.1f s = %,7.1f calls/s | p50 %.2f ms p99 %.2f ms | failures %d",
                    name,
                    calls,
                    seconds,
                    callsPerSecond(),
                    p50Us / 1000.0,
                    p99Us / 1000.0,
                    failures);
        }
    }

    /** One closed-loop caller's single call; returns true when it got an answer. */
    private interface Caller {
        boolean call(String user) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        System.err.println("starting Kafka, the job and the gateway …");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig cfg =
                    options.load(
                            Map.of(
                                    "kafka.bootstrapServers",
                                    kafka.bootstrapServers(),
                                    "kafka.startOffsets",
                                    "EARLIEST"));
            KafkaConfig t = cfg.kafka;
            kafka.createTopics(t.partitions, t.allTopics());
            Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
            LocalFlink.checkpointsOnDisk(conf);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(conf);
            options.apply(env);
            KafkaJob.attach(cfg, env);
            JobClient job = env.executeAsync(cfg.job.name);
            Feeder feeder =
                    new Feeder(
                            t,
                            new ShopWorkload(
                                    new ShopGenerator(ShopGenerator.Params.defaults(), 42)),
                            new Feeder.Rates(rate, 0, 0, k),
                            new WarmUp(0, 0, 0),
                            42);
            List<Phase> phases = new ArrayList<>();
            try (GatewayServer gateway =
                            GatewayServer.start(gatewaySettings(cfg), Duration.ofSeconds(60));
                    BareKafkaClient bare = new BareKafkaClient(t)) {
                feeder.start();
                System.err.printf(
                        "feeding %.0f events/s for %d s of warm-up …%n", rate, warmupSeconds);
                Thread.sleep(warmupSeconds * 1000L);
                phases.addAll(measure(gateway, bare));
            } finally {
                feeder.close();
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            report(phases);
        }
        return 0;
    }

    private GatewaySettings gatewaySettings(JobConfig cfg) {
        return GatewaySettings.from(cfg, "127.0.0.1", 0, 0)
                .withLimits(
                        timeoutMs,
                        Math.max(timeoutMs, GatewaySettings.MAX_DEADLINE_MS),
                        10_000,
                        GatewaySettings.MAX_REQUEST_BYTES,
                        GatewaySettings.MAX_EVENTS_BYTES,
                        GatewaySettings.MAX_BATCH_EVENTS);
    }

    /**
     * The three paths in turn — Kafka without the gateway, HTTP, gRPC — each after a short untimed
     * round, so JIT and connection setup do not land in the figures.
     */
    private List<Phase> measure(GatewayServer gateway, BareKafkaClient bare) throws Exception {
        List<Phase> phases = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + gateway.httpPort() + "/v1/recommendations");
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort())
                        .usePlaintext()
                        .build();
        try {
            run("warm", 3, bare::call);
            phases.add(run("kafka", seconds, bare::call));
            run("warm", 3, user -> httpCall(http, uri, user));
            phases.add(run("http", seconds, user -> httpCall(http, uri, user)));
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
            run("warm", 3, user -> grpcCall(stub, user));
            phases.add(run("grpc", seconds, user -> grpcCall(stub, user)));
        } finally {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        return phases;
    }

    /**
     * Each phase's line (with what the gateway adds over Kafka alone) on stderr, and one JSON line.
     */
    private void report(List<Phase> phases) {
        Phase base = phases.get(0);
        StringBuilder json =
                new StringBuilder("{\"concurrency\":")
                        .append(concurrency)
                        .append(",\"eventsPerSecond\":")
                        .append((long) rate);
        for (Phase p : phases) {
            System.err.println(
                    p.line()
                            + (p == base
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            " | added p50 %+.2f ms p99 %+.2f ms",
                                            (p.p50Us - base.p50Us) / 1000.0,
                                            (p.p99Us - base.p99Us) / 1000.0)));
            json.append(
                    String.format(
                            Locale.ROOT,
                            ",\"%s\":{\"callsPerSecond\":%.1f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"failures\":%d}",
                            p.name,
                            p.callsPerSecond(),
                            p.p50Us / 1000.0,
                            p.p99Us / 1000.0,
                            p.failures));
        }
        System.out.println(json.append('}'));
    }

    private String body(String user) {
        return "{\"user\":\"" + user + "\",\"k\":" + k + ",\"timeoutMs\":" + timeoutMs + "}";
    }

    private boolean httpCall(HttpClient http, URI uri, String user) throws Exception {
        HttpResponse<byte[]> r =
                http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofMillis(timeoutMs + 2000))
                                .POST(HttpRequest.BodyPublishers.ofString(body(user)))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() == 200;
    }

    private boolean grpcCall(RecommenderGrpc.RecommenderBlockingStub stub, String user) {
        try {
            return stub.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
                            .recommend(RecommendRequest.newBuilder().setUser(user).setK(k).build())
                            .getItemsCount()
                    >= 0;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    /**
     * {@code concurrency} threads calling back to back for {@code secs} seconds; latency of
     * answered calls only.
     */
    private Phase run(String name, int secs, Caller caller) throws InterruptedException {
        Histogram hist = new Histogram(60_000_000L, 3);
        AtomicLong calls = new AtomicLong(), failures = new AtomicLong();
        long start = System.nanoTime(), end = start + secs * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            SplittableRandom rnd = new SplittableRandom(c);
            Thread th =
                    new Thread(
                            () -> {
                                while (System.nanoTime() < end) {
                                    String user = "u:" + (1 + rnd.nextInt(2_000));
                                    long t0 = System.nanoTime();
                                    boolean ok;
                                    try {
                                        ok = caller.call(user);
                                    } catch (Exception e) {
                                        ok = false;
                                    }
                                    long us = (System.nanoTime() - t0) / 1000;
                                    if (ok) {
                                        calls.incrementAndGet();
                                        synchronized (hist) {
                                            hist.recordValue(Math.min(us, 60_000_000L));
                                        }
                                    } else {
                                        failures.incrementAndGet();
                                    }
                                }
                            },
                            "load-" + name + "-" + c);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Phase(
                name,
                calls.get(),
                failures.get(),
                elapsed,
                hist.getTotalCount() == 0 ? 0 : hist.getValueAtPercentile(50),
                hist.getTotalCount() == 0 ? 0 : hist.getValueAtPercentile(99));
    }

    /**
     * The bare path: produce a request, wait for the answer on a consumer assigned to every results
     * partition.
     */
    private final class BareKafkaClient implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private final KafkaConfig topics;
        private final Thread thread;

        BareKafkaClient(KafkaConfig kafka) {
            this.topics = kafka;
            Properties p =
                    kafka.clientProperties(
                            Map.of(
                                    ProducerConfig.ACKS_CONFIG,
                                    "1",
                                    ProducerConfig.LINGER_MS_CONFIG,
                                    "0"));
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            Properties c =
                    kafka.clientProperties(
                            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
            consumer =
                    new KafkaConsumer<>(
                            c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topics.recommendationsTopic)
                    .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            thread = new Thread(this::loop, "load-bare-replies");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            try {
                while (true) {
                    for (ConsumerRecord<byte[], byte[]> rec :
                            consumer.poll(Duration.ofMillis(500))) {
                        var h =
                                rec.headers()
                                        .lastHeader(RecommendationSerializer.REQUEST_ID_HEADER);
                        CompletableFuture<byte[]> f =
                                h == null
                                        ? null
                                        : pending.remove(
                                                new String(h.value(), StandardCharsets.UTF_8));
                        if (f != null) {
                            f.complete(rec.value());
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        boolean call(String user) throws Exception {
            String id = "load-" + ids.incrementAndGet();
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            pending.put(id, f);
            String json =
                    "{\"requestId\":\""
                            + id
                            + "\",\"user\":\""
                            + user
                            + "\",\"k\":"
                            + k
                            + ",\"timeoutMs\":"
                            + (long) (timeoutMs * 0.75)
                            + ",\"ts\":"
                            + System.currentTimeMillis()
                            + "}";
            producer.send(
                    new ProducerRecord<>(
                            topics.requestsTopic,
                            id.getBytes(StandardCharsets.UTF_8),
                            json.getBytes(StandardCharsets.UTF_8)));
            try {
                f.get(timeoutMs, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                pending.remove(id);
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            consumer.wakeup();
            thread.join(5_000);
            producer.close(Duration.ofSeconds(2));
        }
    }
}
