package io.walkstream.io;

import static io.walkstream.io.SmallShop.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.testing.Answers;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.FailOnce;
import io.walkstream.testing.JobProbe;
import io.walkstream.testing.JobRunner;
import io.walkstream.testing.SyntheticStream;
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
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kafka.delivery=exactly-once under a failure: answers are written in Kafka transactions committed
 * on checkpoints, and an exception thrown next to the sink — after some answers of the open
 * transactions were written, before they were committed — makes the job restore its last checkpoint
 * and replay. Read with read_committed, every request is answered exactly once (none lost, none
 * twice) and every answer equals the answer of a failure-free run of the same input; the one
 * malformed record has one dead letter. An at-least-once sink fails this test: the answers written
 * before the failure stay in the topic, next to their replays (checked by hand: 14–15 duplicates
 * per run).
 *
 * <p>Requests are stamped after every event and answered once event time passes them (ticks on
 * nodes connected to nothing, stamped after every request), so under {@code WATERMARK} alignment an
 * answer depends only on the graph, not on how far the job had read when it failed.
 *
 * <p>Two things this test must not mistake for the job's doing (both seen on a loaded machine):
 *
 * <ul>
 *   <li><b>Event time after a restore.</b> Flink does not checkpoint watermarks: a restored source
 *       starts each partition's watermark from scratch and moves it only when that partition
 *       delivers a record. The failure comes after the ticks were read, so a partition whose
 *       checkpointed offset is already past its last tick would hold event time — and every request
 *       still waiting for it — back for good (the test then timed out). A live stream keeps
 *       delivering events; here ticks keep coming, each later than the last, until every request is
 *       answered.
 *   <li><b>The broker losing what the test wrote.</b> The in-process broker, starved of CPU, has
 *       failed the test producer's appends (OutOfOrderSequenceException on an items partition: 10
 *       of 60 item records never reached the topic). The job, reading that topic, then answered —
 *       exactly and reproducibly — for a graph without those items, which differs slightly from the
 *       reference built from the input the test meant to write. So every send is checked and the
 *       topics are read back before the job starts; if they do not hold what was sent, the input is
 *       written once more to fresh topics, and if those fall short too the reference is the
 *       in-memory run of what they hold (warnings say so). Either way the job is compared with the
 *       same input it read.
 * </ul>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExactlyOnceTest {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceTest.class);

    @RegisterExtension static final KafkaTestBed bed = new KafkaTestBed();
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    /**
     * The graph: item metadata, then interactions one second of event time apart. Rings hold all of
     * it.
     */
    static final SyntheticStream GRAPH = new SyntheticStream(40, 60, 1200, 0);

    static final int REQUESTS = 40;

    /** The injected failure comes at this answer of subtask 0 (of about REQUESTS / 2). */
    static final int FAIL_AT_ANSWER = 5;

    /** Ticks are stamped from here on: a year after the graph, far after every request. */
    static final long TICKS_FROM = SyntheticStream.T0 + 365L * 24 * 3600 * 1000;

    /** The reference answers of the input as the test means to write it, computed once. */
    static Map<String, String> intendedReference;

    static List<Event> events() {
        List<Event> out = new ArrayList<>();
        for (long n = 0; n < GRAPH.events(); n++) {
            out.add(GRAPH.event(n));
        }
        return out;
    }

    /** For the stream's users, stamped after its last interaction. */
    static List<Request> requests() {
        List<Request> out = new ArrayList<>();
        long after = SyntheticStream.T0 + GRAPH.interactions * 1000L;
        for (int n = 0; n < REQUESTS; n++) {
            Request r = Request.forUser("eo-r" + n, "u" + (n % GRAPH.users), 10, after + n);
            r.walkers = 2000;
            out.add(r);
        }
        return out;
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
     * The answers of a run without failures: the given input, in memory, every request answered on
     * the complete graph ({@code END_OF_INPUT}), as canonical JSON without {@code latencyMs}.
     */
    static Map<String, String> reference(List<Event> events, List<Request> requests)
            throws Exception {
        Map<String, String> s = walkSettings();
        s.put("walk.alignment", "END_OF_INPUT");
        s.put("job.parallelism", "2");
        JobConfig cfg = ConfigLoader.parse("", s);
        cfg.job.stateBackend = StateBackend.HASHMAP;
        cfg.job.checkpointIntervalMs = 0;
        return Answers.byRequest(JobRunner.run(cfg, events, requests).results());
    }

    /** What the test wrote to Kafka, as the topics hold it. */
    record Input(List<Event> events, List<Request> requests, int badRecords, boolean asIntended) {}

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void aFailureNextToTheTransactionalSinkLeavesEveryRequestAnsweredOnceAsWithoutIt(
            StateBackend backend, @InjectMiniCluster MiniCluster mini, @TempDir Path dir)
            throws Exception {
        Map<String, String> settings = walkSettings();
        settings.put("walk.alignment", "WATERMARK");
        settings.put("kafka.delivery", "exactly-once");
        settings.put("job.checkpointIntervalMs", "500");
        settings.put("job.stateBackend", backend.name());
        JobConfig first = bed.config(settings);
        Input input = write(first);
        JobConfig cfg =
                input.asIntended() ? first : bed.config(settings); // once more, on fresh topics
        if (cfg != first) {
            input = write(cfg);
        }
        if (!input.asIntended()) {
            LOG.warn("{}: the reference is the in-memory run of what the topics hold", backend);
        }
        Map<String, String> expected = expected(input);
        assertThat(expected).hasSize(input.requests().size());

        String token = UUID.randomUUID().toString();
        JobClient job = startJob(cfg, token);
        AtomicBoolean answered = new AtomicBoolean();
        Thread ticker = null;
        try {
            // Everything read and checkpointed: the requests wait in the job for event time to pass
            // them.
            bed.awaitConsumed(
                    cfg,
                    Duration.ofSeconds(60),
                    cfg.kafka.interactionsTopic,
                    cfg.kafka.itemsTopic,
                    cfg.kafka.requestsTopic);
            ticker = new Thread(() -> tick(cfg, answered), "eo-ticks");
            ticker.setDaemon(true);
            ticker.start();
            bed.readUntil(
                    cfg.kafka.recommendationsTopic,
                    true,
                    Duration.ofSeconds(90),
                    r -> r.stream().map(x -> utf8(x.key())).distinct().count() >= expected.size());
            answered.set(true);
            ticker.join(10_000);
            // Stop with a savepoint: its transactions are committed before the job ends, and
            // nothing is written after it, so what read_committed shows below is final — no waiting
            // "a bit longer".
            job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
        } catch (Throwable t) {
            answered.set(true);
            job.cancel();
            throw t;
        }
        List<ConsumerRecord<byte[], byte[]>> committed =
                bed.readAll(cfg.kafka.recommendationsTopic, true, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> uncommitted =
                bed.readAll(cfg.kafka.recommendationsTopic, false, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> dead =
                bed.readAll(cfg.kafka.deadLettersTopic, true, Duration.ofSeconds(30));

        assertThat(FailOnce.hasFailed(token)).as("the failure was injected").isTrue();
        int restarts = JobProbe.restarts(mini, job.getJobID());
        assertThat(restarts).as("restarts").isGreaterThanOrEqualTo(1);
        // What an at-least-once sink would have left for read_committed readers too: the records of
        // the aborted transactions. Logged, not asserted — how many were written before the failure
        // depends on timing (a checkpoint may even have committed some of them first).
        Map<String, Long> perRequest =
                uncommitted.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> utf8(r.key()), TreeMap::new, Collectors.counting()));
        long duplicates = perRequest.values().stream().mapToLong(n -> n - 1).sum();
        LOG.info(
                "{}: {} restart(s); read_committed: {} answers; read_uncommitted: {} answer records, {} of them"
                        + " duplicates from aborted transactions ({} requests seen more than once){}",
                backend,
                restarts,
                committed.size(),
                uncommitted.size(),
                duplicates,
                perRequest.values().stream().filter(n -> n > 1).count(),
                duplicates == 0
                        ? " — this run did not show the difference an at-least-once sink would make"
                        : "");

        assertThat(committed)
                .extracting(r -> utf8(r.key()))
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<Recommendation> answers = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            answers.add(JsonCodec.readRecommendation(r.value()));
        }
        Map<String, String> actual = Answers.byRequest(answers);
        assertThat(Answers.diff(expected, actual))
                .as("requests answered differently from the failure-free run")
                .isEmpty();
        assertThat(dead).hasSize(input.badRecords());
    }

    /**
     * The reference for what the topics hold: computed once for the intended input, else for this
     * run's.
     */
    static Map<String, String> expected(Input input) throws Exception {
        if (!input.asIntended()) {
            return reference(input.events(), input.requests());
        }
        synchronized (ExactlyOnceTest.class) {
            if (intendedReference == null) {
                intendedReference = reference(events(), requests());
            }
            return intendedReference;
        }
    }

    /**
     * Writes the graph, the requests and one malformed request, checking every send, then reads the
     * topics back: the input is what they hold, in the order the test meant to write it.
     */
    static Input write(JobConfig cfg) throws Exception {
        List<Event> events = events();
        List<Request> requests = requests();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int failed = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Event e : events) {
                // Items keyed by item, interactions by user (so each user's interactions stay in
                // order).
                boolean item = e.kind == Event.ITEM;
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        item ? cfg.kafka.itemsTopic : cfg.kafka.interactionsTopic,
                                        bytes(item ? e.item : e.user),
                                        item ? WireJson.item(e) : WireJson.interaction(e))));
            }
            for (Request r : requests) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        cfg.kafka.requestsTopic,
                                        bytes(r.requestId),
                                        WireJson.request(r))));
            }
            sent.add(
                    producer.send(
                            new ProducerRecord<>(
                                    cfg.kafka.requestsTopic, bytes("bad"), bytes("{oops"))));
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failed++;
                    if (failed == 1) {
                        LOG.warn(
                                "the broker failed a send of the test's input: {}",
                                e.getCause().toString());
                    }
                }
            }
        }
        Map<String, Integer> held = new HashMap<>();
        for (String topic :
                List.of(
                        cfg.kafka.interactionsTopic,
                        cfg.kafka.itemsTopic,
                        cfg.kafka.requestsTopic)) {
            for (ConsumerRecord<byte[], byte[]> r :
                    bed.readAll(topic, false, Duration.ofSeconds(60))) {
                held.merge(topic + '\0' + utf8(r.value()), 1, Integer::sum);
            }
        }
        List<Event> heldEvents = new ArrayList<>();
        for (Event e : events) {
            boolean item = e.kind == Event.ITEM;
            String k =
                    (item ? cfg.kafka.itemsTopic : cfg.kafka.interactionsTopic)
                            + '\0'
                            + utf8(item ? WireJson.item(e) : WireJson.interaction(e));
            for (int n = held.getOrDefault(k, 0); n > 0; n--) {
                heldEvents.add(e);
            }
        }
        List<Request> heldRequests = new ArrayList<>();
        for (Request r : requests) {
            if (held.getOrDefault(cfg.kafka.requestsTopic + '\0' + utf8(WireJson.request(r)), 0)
                    > 0) {
                heldRequests.add(r);
            }
        }
        int bad = held.getOrDefault(cfg.kafka.requestsTopic + '\0' + "{oops", 0);
        int heldTotal = held.values().stream().mapToInt(Integer::intValue).sum();
        boolean asIntended =
                failed == 0
                        && heldTotal == sent.size()
                        && heldEvents.size() == events.size()
                        && heldRequests.size() == requests.size()
                        && bad == 1;
        if (!asIntended) {
            LOG.warn(
                    "the topics do not hold what the test sent ({} records sent, {} sends failed, {} held: {} of {} events,"
                            + " {} of {} requests, {} malformed)",
                    sent.size(),
                    failed,
                    heldTotal,
                    heldEvents.size(),
                    events.size(),
                    heldRequests.size(),
                    requests.size(),
                    bad);
        }
        return new Input(heldEvents, heldRequests, bad, asIntended);
    }

    /**
     * Until {@code stop}: every second, one event per partition of each event topic, on nodes
     * connected to nothing else, each round stamped later than the last — event time keeps moving,
     * as with a live stream, also after the job has restored a checkpoint taken after earlier ticks
     * (see class docs). A send the broker fails is just retried in the next round.
     */
    static void tick(JobConfig cfg, AtomicBoolean stop) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (long round = 0; !stop.get(); round++) {
                long ts = TICKS_FROM + round * 1000;
                for (int p = 0; p < KafkaTestBed.PARTITIONS; p++) {
                    producer.send(
                            new ProducerRecord<>(
                                    cfg.kafka.interactionsTopic,
                                    p,
                                    bytes("tick"),
                                    WireJson.interaction(
                                            Event.interaction(
                                                    "u:tick" + p, "i:tick" + p, Action.VIEW, ts))));
                    producer.send(
                            new ProducerRecord<>(
                                    cfg.kafka.itemsTopic,
                                    p,
                                    bytes("tick"),
                                    WireJson.item(
                                            Event.item(
                                                    "i:tick" + p, "tick", null, null, null, ts))));
                }
                producer.flush();
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("ticks stopped: {}", e.toString());
        }
    }

    /**
     * A producer of the test's input: idempotent (no duplicates from its own retries), giving up on
     * a record after 30 s instead of the default two minutes, so a send the broker keeps failing is
     * seen well within the test's time.
     */
    static KafkaProducer<byte[], byte[]> producer() {
        Properties p = bed.clientProperties();
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * The Kafka job on the test's MiniCluster, with a restart strategy and the failure before the
     * answers' sink.
     */
    static JobClient startJob(JobConfig cfg, String token) throws Exception {
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setBufferTimeout(5);
        KafkaJob.attach(
                cfg,
                env,
                answers ->
                        answers.map(new FailOnce<Recommendation>(token, FAIL_AT_ANSWER))
                                .returns(TypeInformation.of(Recommendation.class))
                                .name("test-fault")
                                .uid("test-fault"));
        return env.executeAsync(cfg.job.name);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
