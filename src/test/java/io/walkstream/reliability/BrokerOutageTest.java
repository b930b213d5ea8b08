package io.walkstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.config.KafkaConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.JsonCodec;
import io.walkstream.io.KafkaJob;
import io.walkstream.io.WireJson;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.testing.Answers;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobProbe;
import io.walkstream.testing.JobRunner;
import io.walkstream.testing.KafkaBrokerProcess;
import io.walkstream.testing.SyntheticStream;
import io.walkstream.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only broker dies mid-stream ({@code kill -9} of its JVM: broker and KRaft controller) and
 * comes back on the same log directory and port about 10 s later, while the Kafka job runs on a
 * MiniCluster (parallelism 2, checkpoints every second) with the job's own client settings and
 * restart strategy ({@code WalkstreamJob.flinkConfiguration}): nothing in this test helps it.
 *
 * <p>With the job's default {@code kafka.outageToleranceMs} (5 min) the job rides the outage out:
 * its writing tasks wait for the broker (new transactions, commits, sends), checkpoints wait for
 * them, the sources find nothing new; nothing fails, nothing restarts. Heap and RocksDB,
 * exactly-once. {@code -Dwalkstream.test.outageToleranceMs=…} and {@code
 * -Dwalkstream.test.brokerDownMs=…} try a tolerance shorter than the outage by hand
 * (docs/reliability.md, "Broker outage", says what that did).
 *
 * <p>Either way: read with {@code read_committed}, every request is answered exactly once and each
 * answer equals a failure-free in-memory run of the same input ({@code END_OF_INPUT}); the input
 * topics hold every record sent, once; both malformed records have one dead letter each; without a
 * restart the job's counters saw every interaction once. The test logs the outage's length, the
 * restarts, and how soon after the broker was back the first and the last answer were committed.
 *
 * <p>The feed: the catalogue, then interactions at {@link #RATE} a second with the requests spread
 * among them; the broker is killed half-way, the feeder's {@code send} then waits for it (as any
 * producer's would), and the rest goes out as fast as it can once the broker is back, followed by a
 * far-later tick on every partition of both event topics. The requests are stamped after every
 * event and wait in the job's state (through the outage) until event time passes them.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BrokerOutageTest {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageTest.class);

    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final int PARTITIONS = 2;
    static final SyntheticStream GRAPH = new SyntheticStream(40, 60, 1200, 0);
    static final int REQUESTS = 40;

    /** Interactions a second before the outage. */
    static final int RATE = 150;

    /**
     * The broker dies once this many interactions were sent and the job has completed a checkpoint.
     */
    static final int KILL_AFTER = GRAPH.interactions / 2;

    /**
     * From the kill to the broker's start; starting it takes a few seconds more (4–6 s on an idle
     * machine, up to 20 s on a busy one). -Dwalkstream.test.brokerDownMs=… tries another by hand.
     */
    static final Duration DOWN_FOR =
            Duration.ofMillis(Long.getLong("walkstream.test.brokerDownMs", 6000));

    @TempDir static Path brokerDir;
    static KafkaBrokerProcess broker;
    static Map<String, String> reference;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBrokerProcess.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * One record to send: its topic (0 interactions, 1 items, 2 requests), partition (or null) and
     * key.
     */
    record Input(
            int topic, Integer partition, String key, byte[] value, Event event, Request request) {}

    /**
     * The whole input in the order the feeder sends it: the catalogue, the interactions with a
     * request after every 30th (stamped after the last event), then one far-later tick on every
     * partition.
     */
    static List<Input> input() {
        List<Input> out = new ArrayList<>();
        for (int n = 0; n < GRAPH.items; n++) {
            out.add(item(GRAPH.event(n), null));
        }
        int requestEvery = GRAPH.interactions / REQUESTS;
        long after = SyntheticStream.T0 + GRAPH.interactions * 1000L;
        for (int k = 0; k < GRAPH.interactions; k++) {
            Event e = GRAPH.event(GRAPH.items + k);
            out.add(new Input(0, null, e.user, WireJson.interaction(e), e, null));
            if (k % requestEvery == requestEvery - 1) {
                int n = k / requestEvery;
                Request r = Request.forUser("bo-r" + n, "u" + (n % GRAPH.users), 10, after + n);
                r.walkers = 2000;
                out.add(new Input(2, null, r.requestId, WireJson.request(r), null, r));
            }
        }
        long end = SyntheticStream.T0 + 365L * 24 * 3600 * 1000;
        for (int p = 0; p < PARTITIONS; p++) {
            Event e = Event.interaction("u:tick" + p, "i:tick" + p, Action.VIEW, end);
            out.add(new Input(0, p, "tick", WireJson.interaction(e), e, null));
            out.add(item(Event.item("i:tick" + p, "tick", null, null, null, end), p));
        }
        return out;
    }

    static Input item(Event e, Integer partition) {
        return new Input(1, partition, e.item, WireJson.item(e), e, null);
    }

    /** Walk settings shared by the Kafka job and the reference run. */
    static Map<String, String> walkSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("walk.outOfOrdernessMs", "0");
        m.put("walk.idleTimeoutMs", "0");
        m.put("walk.timeoutMs", "120000"); // requests wait for event time; never race a deadline
        return m;
    }

    /**
     * The answers of a run without Kafka and failures: the same events and requests, in memory,
     * END_OF_INPUT.
     */
    static synchronized Map<String, String> reference() throws Exception {
        if (reference == null) {
            Map<String, String> s = walkSettings();
            s.put("walk.alignment", "END_OF_INPUT");
            s.put("job.parallelism", "2");
            s.put("job.checkpointIntervalMs", "0");
            JobConfig cfg = ConfigLoader.parse("", s);
            List<Event> events = new ArrayList<>();
            List<Request> requests = new ArrayList<>();
            for (Input in : input()) {
                if (in.event() != null) {
                    events.add(in.event());
                }
                if (in.request() != null) {
                    requests.add(in.request());
                }
            }
            reference = Answers.byRequest(JobRunner.run(cfg, events, requests).results());
            assertThat(reference).hasSize(REQUESTS);
        }
        return reference;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"HASHMAP, exactly-once", "ROCKSDB, exactly-once"})
    void theOnlyBrokerDiesMidStreamAndComesBackWithNoRequestLostOrAnsweredTwice(
            StateBackend backend,
            String delivery,
            @InjectMiniCluster MiniCluster mini,
            @TempDir Path dir)
            throws Exception {
        // The job's default tolerance; -Dwalkstream.test.outageToleranceMs=… tries another by hand.
        long toleranceMs =
                Long.getLong(
                        "walkstream.test.outageToleranceMs", new KafkaConfig().outageToleranceMs);
        Map<String, String> expected = reference();
        Map<String, String> settings = walkSettings();
        settings.put("walk.alignment", "WATERMARK");
        settings.put("kafka.delivery", delivery);
        settings.put("kafka.outageToleranceMs", Long.toString(toleranceMs));
        settings.put("job.stateBackend", backend.name());
        settings.put("job.checkpointIntervalMs", "1000");
        JobConfig cfg = config(settings);
        String[] topics = {
            cfg.kafka.interactionsTopic, cfg.kafka.itemsTopic, cfg.kafka.requestsTopic
        };
        List<Input> input = input();
        String run = backend + "/" + delivery + "/tolerance " + toleranceMs + " ms";

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        WalkstreamJob.flinkConfiguration(cfg));
        env.setBufferTimeout(5);
        KafkaJob.attach(cfg, env);
        JobClient job = env.executeAsync(cfg.job.name);
        long start = System.currentTimeMillis();
        AnswerWatch watch = new AnswerWatch(cfg.kafka.recommendationsTopic);
        Thread watcher = new Thread(watch, "answer-watch");
        Outage outage = new Outage(mini, job);
        Thread outageThread = new Thread(outage, "broker-outage");
        try {
            watcher.start();
            outageThread.start();
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        cfg.kafka.requestsTopic, bytes("bad"), bytes("{oops"))));
                long nextAt = System.nanoTime();
                for (Input in : input) {
                    // While the broker is down, send() waits for it (max.block.ms): the feed stops
                    // there.
                    sent.add(
                            producer.send(
                                    new ProducerRecord<>(
                                            topics[in.topic()],
                                            in.partition(),
                                            bytes(in.key()),
                                            in.value())));
                    if (in.topic() != 0 || in.partition() != null) {
                        continue;
                    }
                    outage.interactionsSent++;
                    if (outage.down
                            == 0) { // before the outage at RATE; after it the backlog at once
                        nextAt += 1_000_000_000L / RATE;
                        long wait = nextAt - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                }
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        cfg.kafka.requestsTopic,
                                        bytes("bad"),
                                        bytes("{oops again"))));
                producer.flush();
                // A broker that never came back would otherwise show as records expiring in the
                // producer.
                outageThread.join(TimeUnit.SECONDS.toMillis(150));
                assertThat(outage.failure).as("the outage").isNull();
                assertThat(outage.up).as("the broker was killed and started again").isPositive();
                for (Future<RecordMetadata> f : sent) {
                    f.get();
                } // every record reached the broker
            }
            watch.awaitAll(Duration.ofSeconds(90));
            job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
        } catch (Throwable t) {
            job.cancel();
            outageThread.join(TimeUnit.SECONDS.toMillis(60));
            if (!broker.isAlive()) {
                broker.restart(Duration.ofSeconds(120));
            }
            throw t;
        } finally {
            watch.stop.set(true);
            watcher.join(10_000);
        }
        JobExecutionResult result = job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        int restarts = JobProbe.restarts(mini, job.getJobID());
        long checkpoints = JobProbe.completedCheckpoints(mini, job.getJobID());
        long up = outage.up;
        long firstAfter =
                watch.seen.values().stream().mapToLong(Long::longValue).min().orElse(0) - up;
        LOG.info(
                "{}: broker killed at {} ms ({} of {} interactions sent, {} checkpoints completed), answering again"
                        + " {} ms later; checkpoints completed during the outage: {}; restarts: {}; checkpoints: {};"
                        + " answers committed from {} to {} ms after the broker was back (the rest of the feed and"
                        + " the ticks sent after it); whole run {} ms",
                run,
                outage.down - start,
                outage.killedAfter,
                GRAPH.interactions,
                outage.checkpointsAtKill,
                up - outage.down,
                outage.checkpointsAtStart - outage.checkpointsAtKill,
                restarts,
                checkpoints,
                firstAfter,
                watch.allAt - up,
                System.currentTimeMillis() - start);

        List<ConsumerRecord<byte[], byte[]>> committed =
                readAll(cfg.kafka.recommendationsTopic, true);
        List<ConsumerRecord<byte[], byte[]>> uncommitted =
                readAll(cfg.kafka.recommendationsTopic, false);
        List<ConsumerRecord<byte[], byte[]>> dead = readAll(cfg.kafka.deadLettersTopic, true);
        Map<String, Object> counters = new TreeMap<>(result.getAllAccumulatorResults());
        LOG.info(
                "{}: read_committed {} answers, read_uncommitted {} answer records, {} dead letters; counters: ingest.interactions {},"
                        + " seed.updates {}, rank.answered {}",
                run,
                committed.size(),
                uncommitted.size(),
                dead.size(),
                counters.get("walkstream.ingest.interactions"),
                counters.get("walkstream.seed.updates"),
                counters.get("walkstream.rank.answered"));

        // Nothing lost on the way in: every record sent is in its topic, once.
        Map<Integer, Long> perTopic =
                input.stream().collect(Collectors.groupingBy(Input::topic, Collectors.counting()));
        assertThat((long) readAll(cfg.kafka.interactionsTopic, true).size())
                .isEqualTo(perTopic.get(0));
        assertThat((long) readAll(cfg.kafka.itemsTopic, true).size()).isEqualTo(perTopic.get(1));
        assertThat((long) readAll(cfg.kafka.requestsTopic, true).size())
                .isEqualTo(perTopic.get(2) + 2);

        // Every request answered once, as without the outage; one dead letter per malformed record.
        assertThat(committed)
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .doesNotHaveDuplicates();
        List<Recommendation> answers = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            answers.add(JsonCodec.readRecommendation(r.value()));
        }
        Map<String, String> got = Answers.byRequest(answers);
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<String> different =
                expected.keySet().stream()
                        .filter(k -> !expected.get(k).equals(got.get(k)))
                        .toList();
        assertThat(different).as("answers different from the failure-free run").isEmpty();
        assertThat(dead).hasSize(2);

        if (toleranceMs > up - outage.down + 10_000) {
            // Within the tolerance the job waits for the broker: no failure, no restore, and its
            // counters (a restore resets them) saw every interaction and request once. The ticks'
            // own updates wait for a watermark past them, which never comes.
            assertThat(restarts).as("restarts").isZero();
            assertThat(((Number) counters.get("walkstream.ingest.interactions")).longValue())
                    .isEqualTo(GRAPH.interactions + PARTITIONS);
            assertThat(((Number) counters.get("walkstream.seed.updates")).longValue())
                    .isEqualTo(GRAPH.interactions);
            assertThat(((Number) counters.get("walkstream.rank.answered")).longValue())
                    .isEqualTo(REQUESTS);
        }
    }

    /**
     * Kills the broker once {@link #KILL_AFTER} interactions were sent and the job has completed a
     * checkpoint, and starts it again {@link #DOWN_FOR} later; on a thread of its own, as the
     * feeder is blocked meanwhile.
     */
    final class Outage implements Runnable {
        final MiniCluster mini;
        final JobClient job;
        volatile int interactionsSent;
        volatile int killedAfter;
        volatile long down;
        volatile long up;
        volatile long checkpointsAtKill;
        volatile long checkpointsAtStart;
        volatile Exception failure;

        Outage(MiniCluster mini, JobClient job) {
            this.mini = mini;
            this.job = job;
        }

        @Override
        public void run() {
            try {
                long deadline = System.currentTimeMillis() + 90_000;
                while (interactionsSent < KILL_AFTER
                        || JobProbe.completedCheckpoints(mini, job.getJobID()) < 1) {
                    if (System.currentTimeMillis() > deadline) {
                        return; // the test fails: no outage
                    }
                    Thread.sleep(10);
                }
                checkpointsAtKill = JobProbe.completedCheckpoints(mini, job.getJobID());
                killedAfter = interactionsSent;
                broker.kill();
                down = System.currentTimeMillis();
                Thread.sleep(DOWN_FOR.toMillis());
                checkpointsAtStart = JobProbe.completedCheckpoints(mini, job.getJobID());
                broker.restart(Duration.ofSeconds(120));
                up = System.currentTimeMillis();
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /**
     * Reads the answers topic with read_committed all along and notes when each request's first
     * answer appeared.
     */
    final class AnswerWatch implements Runnable {
        final String topic;
        final Map<String, Long> seen = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        volatile long allAt;

        AnswerWatch(String topic) {
            this.topic = topic;
        }

        @Override
        public void run() {
            try (KafkaConsumer<byte[], byte[]> c = consumer(true)) {
                List<TopicPartition> parts = partitions(topic);
                c.assign(parts);
                c.seekToBeginning(parts);
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                        seen.putIfAbsent(
                                new String(r.key(), StandardCharsets.UTF_8),
                                System.currentTimeMillis());
                    }
                    if (allAt == 0 && seen.size() >= REQUESTS) {
                        allAt = System.currentTimeMillis();
                    }
                }
            }
        }

        void awaitAll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (allAt == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            seen.size()
                                    + " of "
                                    + REQUESTS
                                    + " requests answered within "
                                    + timeout);
                }
                Thread.sleep(50);
            }
        }
    }

    /** A configuration with topics of its own on the broker. */
    static JobConfig config(Map<String, String> overrides) throws Exception {
        Map<String, String> all = TestTopics.settings(broker.bootstrapServers(), overrides);
        JobConfig cfg = ConfigLoader.parse("", all);
        EmbeddedKafka.createTopics(cfg.kafka, PARTITIONS, (short) 1, cfg.kafka.allTopics());
        return cfg;
    }

    /**
     * An idempotent producer that outlasts the outage: it buffers and retries, and never writes a
     * record twice.
     */
    static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Longer than the outage: while no broker answers, send() waits for metadata (max.block.ms)
        // and sent records wait in the buffer (delivery.timeout.ms); past either, a record would be
        // dropped.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "180000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "200000");
        // One request in flight per connection: with five, a batch in flight when the broker was
        // killed sometimes never completed after the restart (the producer's sequence bookkeeping
        // for reordered retries), and the test failed on a record expiring 200 s later, in 2 of
        // about 5 full runs. The feed is a few hundred records a second; one at a time keeps up.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> consumer(boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            parts.add(new TopicPartition(topic, i));
        }
        return parts;
    }

    /**
     * Every record of {@code topic} up to its end (for read_committed: its last stable offset) as
     * of this call.
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, boolean readCommitted) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(readCommitted)) {
            List<TopicPartition> parts = partitions(topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends =
                    new HashMap<>(c.endOffsets(parts, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!parts.stream().allMatch(tp -> c.position(tp) >= ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to " + ends);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
