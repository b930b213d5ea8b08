package io.walkstream.bench;

import com.sun.management.OperatingSystemMXBean;
import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.config.KafkaConfig;
import io.walkstream.gen.ShopGenerator;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.KafkaJob;
import io.walkstream.io.WireJson;
import io.walkstream.model.Event;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Ingest: how many events per second the dataflow absorbs. In-process, a bounded generator source
 * runs flat out into the job (the source can only go as fast as the job takes its records), with
 * checkpoints on; the run ends when the job has applied every event. With Kafka, the events are
 * first written to a local broker's topics (not timed), then the Kafka job reads them from the
 * beginning and the run ends when every event has been applied.
 */
public final class IngestBenchmark {
    /**
     * Processed events are counted by the Item step, which every interaction and item record
     * reaches once; it also applies the transition edges Seed derives (up to graph.transitionWindow
     * per interaction), counted by Seed, which {@link #applied} takes off.
     */
    static final String PROCESSED = "walkstream.item.updates";

    static final String TRANSITIONS = "walkstream.seed.transitionsOut";

    /** Events the job has applied, from its accumulators. */
    static long applied(Map<String, ? extends Object> accumulators) {
        return number(accumulators.get(PROCESSED)) - number(accumulators.get(TRANSITIONS));
    }

    static long applied(JobClient client) throws Exception {
        return applied(client.getAccumulators().get(10, TimeUnit.SECONDS));
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    /**
     * @param kind what the report keys the figures by after the backend: "" (the job from the
     *     generator), "kafka", "floor2"…
     * @param cpuMicrosPerEvent the whole process's CPU time per event (job, sources, GC): less
     *     sensitive than events/s to whatever else the machine is running
     */
    public record Result(
            String source,
            String kind,
            long events,
            double seconds,
            double eventsPerSecond,
            double steadyEventsPerSecond,
            double cpuMicrosPerEvent,
            Series series) {}

    static long processCpuNanos() {
        return ((OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private IngestBenchmark() {}

    public static Result inProcess(BenchSettings s, LongConsumer progress) throws Exception {
        BenchLocal.reset(1, 1000);
        StreamExecutionEnvironment env = LocalJob.env(s);
        var events =
                LocalJob.events(
                        env,
                        new ShopEvents(s.shop, s.seed, 0, false),
                        s.events,
                        RateLimiterStrategy.noOp());
        var requests =
                LocalJob.requests(
                        env,
                        s.config,
                        new ShopRequests(s.shop, s.seed, 10, 0),
                        1,
                        RateLimiterStrategy.noOp());
        WalkstreamJob.build(s.config, events, requests)
                .sinkTo(new LatencySink())
                .name("bench-answers");
        return untilDone(env, "walkstream bench: ingest", "generator (in-process)", "", progress);
    }

    /**
     * Runs the bounded generator job built on {@code env} (after {@link BenchLocal#reset}) until it
     * has taken every event: events/s from the sources' first event to the job's end, and the
     * process's CPU time per event.
     */
    static Result untilDone(
            StreamExecutionEnvironment env,
            String jobName,
            String source,
            String kind,
            LongConsumer progress)
            throws Exception {
        long cpu0 = processCpuNanos();
        JobClient client = env.executeAsync(jobName);
        Series series = new Series();
        var done = client.getJobExecutionResult();
        while (!done.isDone()) {
            Thread.sleep(250);
            long first = BenchLocal.firstEventNanos.get();
            if (first == 0) {
                continue;
            }
            long n = BenchLocal.eventsEmitted.sum();
            series.add((System.nanoTime() - first) / 1e9, n);
            progress.accept(n);
        }
        done.get();
        double seconds = (System.nanoTime() - BenchLocal.firstEventNanos.get()) / 1e9;
        long total = BenchLocal.eventsEmitted.sum();
        series.add(seconds, total);
        double cpu = (processCpuNanos() - cpu0) / 1e3 / total;
        return new Result(
                source,
                kind,
                total,
                seconds,
                total / seconds,
                series.rateBetween(0.1, 0.9, total),
                cpu,
                series);
    }

    public static Result fromKafka(BenchSettings s, LongConsumer progress) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig cfg = s.config;
            KafkaConfig k = cfg.kafka;
            k.bootstrapServers = kafka.bootstrapServers();
            k.startOffsets = KafkaConfig.StartOffsets.EARLIEST;
            kafka.createTopics(Math.max(2, cfg.job.parallelism), k.allTopics());
            long written = produce(s, k, progress);
            StreamExecutionEnvironment env = LocalJob.env(s);
            KafkaJob.attach(cfg, env);
            long cpu0 = processCpuNanos();
            JobClient client = env.executeAsync("walkstream bench: ingest from Kafka");
            Series series = new Series();
            long start = System.nanoTime();
            long applied = 0;
            try {
                while (applied < written) {
                    Thread.sleep(500);
                    if (!LocalJob.running(client)) {
                        throw new IllegalStateException(
                                "the Kafka job stopped: " + client.getJobStatus().get());
                    }
                    applied = applied(client);
                    series.add((System.nanoTime() - start) / 1e9, applied);
                    progress.accept(applied);
                }
            } finally {
                LocalJob.cancel(client);
            }
            double seconds = series.seconds.get(series.seconds.size() - 1);
            // The job's start-up (a few seconds) is inside `seconds`; the steady rate leaves it
            // out. The broker runs in this process too: its CPU time is part of the figure.
            return new Result(
                    "Kafka (local broker)",
                    "kafka",
                    written,
                    seconds,
                    written / seconds,
                    series.rateBetween(0.1, 0.9, written),
                    (processCpuNanos() - cpu0) / 1e3 / written,
                    series);
        }
    }

    /**
     * Writes the benchmark's event stream to the topics, keyed as the demo keys them; returns how
     * many.
     */
    private static long produce(BenchSettings s, KafkaConfig k, LongConsumer progress) {
        Properties p =
                k.clientProperties(
                        Map.of(
                                ProducerConfig.LINGER_MS_CONFIG, "20",
                                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024),
                                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                                ProducerConfig.ACKS_CONFIG, "1"));
        ShopGenerator gen = new ShopGenerator(s.shop, s.seed);
        long now = System.currentTimeMillis(), n = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Event e : gen.takeNewItems(now)) {
                n += send(producer, k, e);
            }
            for (long i = 0; i < s.events; i++) {
                n += send(producer, k, gen.nextInteraction(now + i / 100));
                for (Event e : gen.takeNewItems(now + i / 100)) {
                    n += send(producer, k, e);
                }
                if (i % 100_000 == 0) {
                    progress.accept(-i);
                }
            }
            producer.flush();
        }
        return n;
    }

    private static int send(KafkaProducer<byte[], byte[]> producer, KafkaConfig k, Event e) {
        boolean item = e.kind == Event.ITEM;
        String key = item ? e.item : e.user;
        producer.send(
                new ProducerRecord<>(
                        item ? k.itemsTopic : k.interactionsTopic,
                        key.getBytes(StandardCharsets.UTF_8),
                        WireJson.event(e)));
        return 1;
    }
}
