package io.walkstream.cli;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.config.KafkaConfig;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.JsonCodec;
import io.walkstream.io.KafkaJob;
import io.walkstream.io.WireJson;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/walkstream cluster-test}: a real multi-process failure check. Starts a Kafka broker, a
 * Flink JobManager and two TaskManagers as separate JVMs from the project's classpath, submits the
 * Kafka job (RocksDB, checkpoints every second, exactly-once output), feeds events and requests at
 * a steady rate, kills one TaskManager with {@code kill -9} mid-stream and starts a new one. The
 * job must resume from its last checkpoint, answer every request exactly once (read with
 * read_committed), and every answer must equal the answer of a failure-free reference run. Prints
 * one JSON line on stdout; exit code 0 when nothing was lost, 1 otherwise.
 */
@Command(
        name = "cluster-test",
        mixinStandardHelpOptions = true,
        description =
                "Kill -9 a TaskManager of a real multi-process Flink cluster mid-stream and check that nothing is lost.")
public class ClusterTestCommand implements Callable<Integer> {
    static final int PARTITIONS = 2;

    @Option(
            names = "--interactions",
            description = "Interactions to send (default ${DEFAULT-VALUE}).")
    int interactions = 6000;

    @Option(
            names = "--requests",
            description = "Requests to send, spread over the stream (default ${DEFAULT-VALUE}).")
    int requests = 60;

    @Option(
            names = "--rate",
            description = "Records per second sent to Kafka (default ${DEFAULT-VALUE}).")
    int rate = 400;

    @Option(
            names = "--no-kill",
            description = "Control run: the same, without killing a TaskManager.")
    boolean noKill;

    @Option(
            names = "--set",
            paramLabel = "SECTION.FIELD=VALUE",
            description =
                    "Override one field of the job's configuration, e.g. --set graph.itemCapacity=16 (repeatable);"
                            + " the reference run takes it too.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--work-dir",
            description =
                    "Where cluster configuration, logs and checkpoints go (default: a new temporary directory).")
    Path workDir;

    @Option(
            names = "--classpath",
            hidden = true,
            description = "Classpath of the cluster JVMs (default: this JVM's).")
    String classpath = System.getProperty("java.class.path");

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path dir =
                workDir != null
                        ? Files.createDirectories(workDir)
                        : Files.createTempDirectory("walkstream-cluster-test");
        say("work directory %s (configuration, JobManager and TaskManager logs, checkpoints)", dir);
        ClusterWorkload work = new ClusterWorkload(80, 100, interactions, requests);

        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                StandaloneCluster cluster = StandaloneCluster.start(dir, classpath)) {
            say(
                    "Kafka on %s; JobManager REST on http://localhost:%d",
                    kafka.bootstrapServers(), cluster.restPort);
            JobConfig cfg = config(kafka.bootstrapServers(), dir, overrides);
            Map<String, String> expected =
                    ReferenceAnswers.compute(
                            config(kafka.bootstrapServers(), dir, overrides),
                            work.events,
                            work.requests);
            say("reference run (no failures, no Kafka): %d answers", expected.size());

            Process tm1 = cluster.startTaskManager();
            cluster.startTaskManager();
            cluster.awaitTaskManagers(2, Duration.ofSeconds(60));
            kafka.createTopics(PARTITIONS, cfg.kafka.allTopics());
            JobClient job = submit(cfg, cluster);
            String jobId = job.getJobID().toHexString();
            say(
                    "job %s submitted; TaskManager pids %d and %d",
                    jobId, tm1.pid(), cluster.taskManagerPids().get(1));

            Run run = feedWithAFailure(cfg, cluster, jobId, tm1, work);
            Map<String, List<String>> answers =
                    readAnswers(cfg.kafka, work.requests.size(), Duration.ofSeconds(120));
            Files.writeString(
                    dir.resolve("expected-answers.json"), JsonCodec.writeString(expected));
            Files.writeString(dir.resolve("answers.json"), JsonCodec.writeString(answers));
            long restarts = cluster.restarts(jobId);
            String status = cluster.jobStatus(jobId);
            job.cancel().get(60, TimeUnit.SECONDS);

            Map<String, Object> summary = compare(expected, answers, work, run);
            summary.put("restarts", restarts);
            summary.put("jobStatusBeforeCancel", status);
            summary.put("seconds", (System.nanoTime() - started) / 1_000_000_000L);
            System.out.println(JsonCodec.writeString(summary));
            return Boolean.TRUE.equals(summary.get("ok")) ? 0 : 1;
        }
    }

    private static JobClient submit(JobConfig cfg, StandaloneCluster cluster) throws Exception {
        Configuration clientConf = WalkstreamJob.flinkConfiguration(cfg);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(
                        "localhost", cluster.restPort, clientConf);
        env.setBufferTimeout(5);
        KafkaJob.attach(cfg, env);
        return env.executeAsync(cfg.job.name);
    }

    /**
     * What the failure did: the TaskManager killed (-1: none), checkpoints before it, the
     * checkpoint restored (-1: none).
     */
    record Run(long killedPid, long completedBeforeKill, long restoredFrom) {}

    /**
     * The catalogue, then the timeline; mid-way through the interactions a TaskManager running the
     * job is killed (unless --no-kill) and a new one started; then the ticks that close event time.
     */
    private Run feedWithAFailure(
            JobConfig cfg,
            StandaloneCluster cluster,
            String jobId,
            Process tm1,
            ClusterWorkload work)
            throws Exception {
        var k = cfg.kafka;
        try (KafkaProducer<byte[], byte[]> producer = producer(k)) {
            for (Event item : work.items) {
                send(producer, k.itemsTopic, item.item, WireJson.item(item));
            }
            producer.flush();
            awaitCheckpoints(cluster, jobId, 1, Duration.ofSeconds(90));
            int half =
                    (work.timeline.size() - work.requests.size())
                            / 2; // the kill comes mid-way through the interactions
            feed(producer, cfg, work.timeline.subList(0, half));
            long completedBeforeKill = cluster.checkpointCounts(jobId).path("completed").asLong();
            Run run;
            if (noKill) {
                feed(producer, cfg, work.timeline.subList(half, work.timeline.size()));
                run = new Run(-1, completedBeforeKill, -1);
            } else {
                StandaloneCluster.kill9(tm1);
                say(
                        "kill -9 %d (a TaskManager running the job) after %d checkpoints; starting a new TaskManager",
                        tm1.pid(), completedBeforeKill);
                cluster.startTaskManager();
                feed(producer, cfg, work.timeline.subList(half, work.timeline.size()));
                long restoredFrom = awaitRestore(cluster, jobId, Duration.ofSeconds(90));
                say(
                        "the job restored checkpoint %d and is %s",
                        restoredFrom, cluster.jobStatus(jobId));
                run = new Run(tm1.pid(), completedBeforeKill, restoredFrom);
            }
            sendTicks(producer, cfg);
            return run;
        }
    }

    /**
     * The verdict: every request answered once, each answer equal to the reference run's, and a
     * restore when there was a kill.
     */
    private Map<String, Object> compare(
            Map<String, String> expected,
            Map<String, List<String>> answers,
            ClusterWorkload work,
            Run run) {
        int answered = 0, duplicates = 0, mismatched = 0;
        for (var e : expected.entrySet()) {
            List<String> got = answers.getOrDefault(e.getKey(), List.of());
            if (!got.isEmpty()) {
                answered++;
            }
            duplicates += Math.max(0, got.size() - 1);
            if (got.stream().anyMatch(a -> !a.equals(e.getValue()))) {
                mismatched++;
            }
        }
        int lost = expected.size() - answered;
        boolean ok =
                lost == 0
                        && duplicates == 0
                        && mismatched == 0
                        && (noKill || run.restoredFrom() > 0)
                        && expected.size() == work.requests.size();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("ok", ok);
        summary.put("events", work.events.size());
        summary.put("requests", work.requests.size());
        summary.put("answered", answered);
        summary.put("lost", lost);
        summary.put("duplicates", duplicates);
        summary.put("differentFromReference", mismatched);
        summary.put("killedTaskManagerPid", run.killedPid());
        summary.put("checkpointsBeforeKill", run.completedBeforeKill());
        summary.put("restoredCheckpoint", run.restoredFrom());
        return summary;
    }

    static JobConfig config(String bootstrap, Path dir, Map<String, String> overrides)
            throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        String prefix = "ct-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        s.put("kafka.bootstrapServers", bootstrap);
        s.put("kafka.groupId", prefix + "job");
        s.put("kafka.startOffsets", "EARLIEST");
        s.put("kafka.delivery", "exactly-once");
        s.put("kafka.transactionalIdPrefix", prefix + "tx");
        s.put("job.parallelism", "2");
        s.put("job.stateBackend", "ROCKSDB");
        s.put("job.checkpointIntervalMs", "1000");
        s.put("job.checkpointDir", dir.resolve("checkpoints").toUri().toString());
        s.put("walk.alignment", "WATERMARK");
        s.put("walk.outOfOrdernessMs", "0");
        s.put("walk.idleTimeoutMs", "0");
        s.put("walk.timeoutMs", "120000");
        s.putAll(overrides);
        return ConfigLoader.parse("", s);
    }

    private void feed(
            KafkaProducer<byte[], byte[]> producer,
            JobConfig cfg,
            List<ClusterWorkload.Entry> entries)
            throws Exception {
        long t0 = System.nanoTime();
        int n = 0;
        for (ClusterWorkload.Entry e : entries) {
            if (e.event() != null) {
                send(
                        producer,
                        cfg.kafka.interactionsTopic,
                        e.event().user,
                        WireJson.interaction(e.event()));
            } else {
                send(
                        producer,
                        cfg.kafka.requestsTopic,
                        e.request().requestId,
                        WireJson.request(e.request()));
            }
            long due = t0 + (long) (++n * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        producer.flush();
    }

    /**
     * One far-later record per partition of both event topics, on nodes connected to nothing else:
     * event time is kept per partition in the sources, so it moves past the requests only once
     * every partition has delivered everything stamped before them — a tick on the already consumed
     * items topic cannot overtake interactions still being replayed after a restore.
     */
    private static void sendTicks(KafkaProducer<byte[], byte[]> producer, JobConfig cfg) {
        long late = ClusterWorkload.T0 + 365L * 24 * 3600 * 1000;
        for (int p = 0; p < PARTITIONS; p++) {
            producer.send(
                    new ProducerRecord<>(
                            cfg.kafka.interactionsTopic,
                            p,
                            null,
                            WireJson.interaction(
                                    Event.interaction(
                                            "u:tick" + p, "i:tick" + p, Action.VIEW, late))));
            producer.send(
                    new ProducerRecord<>(
                            cfg.kafka.itemsTopic,
                            p,
                            null,
                            WireJson.item(
                                    Event.item("i:tick" + p, "tick", null, null, null, late))));
        }
        producer.flush();
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaConfig kafka) {
        Properties p = kafka.clientProperties(Map.of(ProducerConfig.LINGER_MS_CONFIG, "5"));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void awaitCheckpoints(
            StandaloneCluster cluster, String jobId, long n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (cluster.checkpointCounts(jobId).path("completed").asLong() >= n) {
                    return;
                }
            } catch (IOException e) {
                // the job may not be known to the REST API yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no checkpoint within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    private static long awaitRestore(StandaloneCluster cluster, String jobId, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long restored = cluster.restoredCheckpoint(jobId);
            if (restored > 0 && "RUNNING".equals(cluster.jobStatus(jobId))) {
                return restored;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not restore within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /**
     * Every answer per request id (a list, so duplicates show), read with read_committed until all
     * arrived and 3 s more.
     */
    private static Map<String, List<String>> readAnswers(
            KafkaConfig kafka, int wanted, Duration timeout) throws Exception {
        String topic = kafka.recommendationsTopic;
        Properties p =
                kafka.clientProperties(
                        Map.of(
                                ConsumerConfig.GROUP_ID_CONFIG,
                                        "cluster-test-reader-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        Map<String, List<String>> out = new TreeMap<>();
        AtomicInteger total = new AtomicInteger();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (var rec : c.poll(Duration.ofMillis(200))) {
                    Recommendation r = JsonCodec.readRecommendation(rec.value());
                    out.computeIfAbsent(r.requestId, x -> new ArrayList<>())
                            .add(ReferenceAnswers.canonical(r));
                    total.incrementAndGet();
                }
                if (out.size() >= wanted && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + 3_000_000_000L;
                }
            }
        }
        return out;
    }

    private static void say(String format, Object... args) {
        System.err.printf("cluster-test: " + format + "%n", args);
    }
}
