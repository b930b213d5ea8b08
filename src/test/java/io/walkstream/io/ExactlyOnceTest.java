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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kafka.delivery=exactly-once under a failure: answers are written in Kafka transactions committed on
 * checkpoints, and an exception thrown next to the sink — after some answers of the open transactions
 * were written, before they were committed — makes the job restore its last checkpoint and replay.
 * Read with read_committed, every request is answered exactly once (none lost, none twice) and every
 * answer equals the answer of a failure-free run of the same input; the one malformed record has one
 * dead letter. An at-least-once sink fails this test: the answers written before the failure stay in
 * the topic, next to their replays (checked by hand: 14–15 duplicates per run).
 *
 * <p>Requests are stamped after every event and answered once event time passes them (ticks on nodes
 * connected to nothing, sent after the graph is in), so under {@code WATERMARK} alignment an answer
 * depends only on the graph, not on how far the job had read when it failed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExactlyOnceTest {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceTest.class);

    @RegisterExtension
    static final KafkaTestBed bed = new KafkaTestBed();
    @RegisterExtension
    static final MiniClusterExtension MINI = Clusters.miniCluster();

    /** The graph: item metadata, then interactions one second of event time apart. Rings hold all of it. */
    static final SyntheticStream GRAPH = new SyntheticStream(40, 60, 1200, 0);
    static final int REQUESTS = 40;
    /** The injected failure comes at this answer of subtask 0 (of about REQUESTS / 2). */
    static final int FAIL_AT_ANSWER = 5;
    static Map<String, String> reference;

    static List<Event> events() {
        List<Event> out = new ArrayList<>();
        for (long n = 0; n < GRAPH.events(); n++) out.add(GRAPH.event(n));
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
     * The answers of a run without failures: the same input, in memory, every request answered on the
     * complete graph ({@code END_OF_INPUT}), as canonical JSON without {@code latencyMs}.
     */
    static synchronized Map<String, String> reference() throws Exception {
        if (reference == null) {
            Map<String, String> s = walkSettings();
            s.put("walk.alignment", "END_OF_INPUT");
            s.put("job.parallelism", "2");
            JobConfig cfg = ConfigLoader.parse("", s);
            cfg.job.stateBackend = StateBackend.HASHMAP;
            cfg.job.checkpointIntervalMs = 0;
            reference = Answers.byRequest(JobRunner.run(cfg, events(), requests()).results());
            assertThat(reference).hasSize(REQUESTS);
        }
        return reference;
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void aFailureNextToTheTransactionalSinkLeavesEveryRequestAnsweredOnceAsWithoutIt(
            StateBackend backend, @InjectMiniCluster MiniCluster mini, @TempDir Path dir) throws Exception {
        Map<String, String> expected = reference();
        Map<String, String> settings = walkSettings();
        settings.put("walk.alignment", "WATERMARK");
        settings.put("kafka.delivery", "exactly-once");
        settings.put("job.checkpointIntervalMs", "500");
        settings.put("job.stateBackend", backend.name());
        JobConfig cfg = bed.config(settings);
        sendGraph(cfg);
        for (Request r : requests()) {
            bed.producer.send(new ProducerRecord<>(cfg.kafka.requestsTopic, bytes(r.requestId), WireJson.request(r)));
        }
        bed.producer.flush();
        bed.send(cfg.kafka.requestsTopic, "bad", bytes("{oops"));

        String token = UUID.randomUUID().toString();
        JobClient job = startJob(cfg, token);
        try {
            // Everything read and checkpointed: the requests wait in the job for event time to pass them.
            bed.awaitConsumed(cfg, Duration.ofSeconds(60), cfg.kafka.interactionsTopic, cfg.kafka.itemsTopic, cfg.kafka.requestsTopic);
            sendTicks(cfg);
            bed.readUntil(cfg.kafka.recommendationsTopic, true, Duration.ofSeconds(90),
                    r -> r.stream().map(x -> utf8(x.key())).distinct().count() >= REQUESTS);
            // Stop with a savepoint: its transactions are committed before the job ends, and nothing is
            // written after it, so what read_committed shows below is final — no waiting "a bit longer".
            job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        } catch (Throwable t) {
            job.cancel();
            throw t;
        }
        List<ConsumerRecord<byte[], byte[]>> committed = bed.readAll(cfg.kafka.recommendationsTopic, true, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> uncommitted = bed.readAll(cfg.kafka.recommendationsTopic, false, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> dead = bed.readAll(cfg.kafka.deadLettersTopic, true, Duration.ofSeconds(30));

        assertThat(FailOnce.hasFailed(token)).as("the failure was injected").isTrue();
        int restarts = JobProbe.restarts(mini, job.getJobID());
        assertThat(restarts).as("restarts").isGreaterThanOrEqualTo(1);
        // What an at-least-once sink would have left for read_committed readers too: the records of the
        // aborted transactions. Logged, not asserted — how many were written before the failure depends
        // on timing (a checkpoint may even have committed some of them first).
        Map<String, Long> perRequest = uncommitted.stream()
                .collect(Collectors.groupingBy(r -> utf8(r.key()), TreeMap::new, Collectors.counting()));
        long duplicates = perRequest.values().stream().mapToLong(n -> n - 1).sum();
        LOG.info("{}: {} restart(s); read_committed: {} answers; read_uncommitted: {} answer records, {} of them"
                        + " duplicates from aborted transactions ({} requests seen more than once){}",
                backend, restarts, committed.size(), uncommitted.size(), duplicates,
                perRequest.values().stream().filter(n -> n > 1).count(),
                duplicates == 0 ? " — this run did not show the difference an at-least-once sink would make" : "");

        assertThat(committed).extracting(r -> utf8(r.key())).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<Recommendation> answers = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed) answers.add(JsonCodec.readRecommendation(r.value()));
        assertThat(Answers.byRequest(answers)).isEqualTo(expected);
        assertThat(dead).hasSize(1);
    }

    /** The Kafka job on the test's MiniCluster, with a restart strategy and the failure before the answers' sink. */
    static JobClient startJob(JobConfig cfg, String token) throws Exception {
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setBufferTimeout(5);
        KafkaJob.attach(cfg, env, answers -> answers.map(new FailOnce<Recommendation>(token, FAIL_AT_ANSWER))
                .returns(TypeInformation.of(Recommendation.class)).name("test-fault").uid("test-fault"));
        return env.executeAsync(cfg.job.name);
    }

    /** Items keyed by item, interactions by user (so each user's interactions stay in order). */
    static void sendGraph(JobConfig cfg) {
        for (Event e : events()) {
            boolean item = e.kind == Event.ITEM;
            bed.producer.send(new ProducerRecord<>(item ? cfg.kafka.itemsTopic : cfg.kafka.interactionsTopic,
                    bytes(item ? e.item : e.user), item ? WireJson.item(e) : WireJson.interaction(e)));
        }
        bed.producer.flush();
    }

    /** One far-later event per partition of each event topic, on nodes connected to nothing else. */
    static void sendTicks(JobConfig cfg) throws Exception {
        long late = SyntheticStream.T0 + 365L * 24 * 3600 * 1000;
        for (int p = 0; p < KafkaTestBed.PARTITIONS; p++) {
            bed.send(cfg.kafka.interactionsTopic, p, "tick",
                    WireJson.interaction(Event.interaction("u:tick" + p, "i:tick" + p, Action.VIEW, late)));
            bed.send(cfg.kafka.itemsTopic, p, "tick", WireJson.item(Event.item("i:tick" + p, "tick", null, null, null, late)));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
