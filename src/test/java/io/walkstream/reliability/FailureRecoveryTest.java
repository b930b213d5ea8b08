package io.walkstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.config.WalkConfig;
import io.walkstream.model.Event;
import io.walkstream.testing.Answers;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.FailOnce;
import io.walkstream.testing.JobProbe;
import io.walkstream.testing.StreamingRun;
import io.walkstream.testing.SyntheticStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures mid-stream, with checkpoints on, on both state backends: an exception thrown inside the
 * job, and the loss of a TaskManager (two TaskManagers of one slot each, both running the job; one
 * is terminated and a fresh one started). After recovery every request is answered exactly once and
 * every answer — items, scores, visits, walker accounting — equals the answer of a run without
 * failures. Walks are deterministic and, with {@code END_OF_INPUT} alignment, depend only on the
 * graph state, so an edge lost or counted twice in recovery (a changed degree or ring buffer)
 * changes answers.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FailureRecoveryTest {
    private static final Logger LOG = LoggerFactory.getLogger(FailureRecoveryTest.class);

    @RegisterExtension
    static final MiniClusterExtension MINI =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    static final SyntheticStream STREAM = new SyntheticStream(60, 80, 3000, 40);

    /**
     * Events let through per completed checkpoint (over both source subtasks), instead of a rate:
     * the stream cannot end before several checkpoints have completed, however slowly they complete
     * on a loaded machine — so the fault always comes after a checkpoint and mid-stream (a rate let
     * a slow first RocksDB checkpoint miss the whole stream, and the fault never fired).
     */
    static final int EVENTS_PER_CHECKPOINT = 400;

    /** TaskManagers are never removed from the MiniCluster's list: the next one to terminate. */
    static int nextVictim = 0;

    static Map<String, String> reference;

    static JobConfig config(StateBackend backend) {
        JobConfig cfg = Clusters.config(backend);
        cfg.walk.alignment = WalkConfig.Alignment.END_OF_INPUT;
        return cfg;
    }

    /**
     * The answers of a run without failures (computed once, on the heap backend, without rate
     * limits).
     */
    static synchronized Map<String, String> reference() throws Exception {
        if (reference == null) {
            StreamingRun run =
                    StreamingRun.start(
                            config(StateBackend.HASHMAP), STREAM, new StreamingRun.Options());
            reference = Answers.byRequest(run.awaitAnswers(Duration.ofMinutes(2)));
            assertThat(reference).hasSize(STREAM.requests);
        }
        return reference;
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void anExceptionInsideTheJobLosesNothingAndCountsNothingTwice(
            StateBackend backend, @InjectMiniCluster MiniCluster mini) throws Exception {
        Map<String, String> expected = reference();
        String token = UUID.randomUUID().toString();
        StreamingRun.Options o = new StreamingRun.Options();
        o.eventLimiter = RateLimiterStrategy.perCheckpoint(EVENTS_PER_CHECKPOINT);
        o.requestsPerSecond = 20;
        o.eventFault =
                events ->
                        events.map(new FailOnce<Event>(token, STREAM.events() / 4))
                                .returns(TypeInformation.of(Event.class))
                                .name("test-fault")
                                .uid("test-fault");
        StreamingRun run = StreamingRun.start(config(backend), STREAM, o);

        Map<String, String> answers = Answers.byRequest(run.awaitAnswers(Duration.ofMinutes(2)));

        assertThat(FailOnce.hasFailed(token)).as("the fault was injected").isTrue();
        int restarts = JobProbe.restarts(mini, run.client.getJobID());
        assertThat(restarts).as("restarts").isGreaterThanOrEqualTo(1);
        LOG.info(
                "exception fault on {}: restarts {}, answers {}",
                backend,
                restarts,
                answers.size());
        assertThat(answers).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void losingATaskManagerLosesNothingAndCountsNothingTwice(
            StateBackend backend, @InjectMiniCluster MiniCluster mini) throws Exception {
        Map<String, String> expected = reference();
        StreamingRun.Options o = new StreamingRun.Options();
        o.eventLimiter = RateLimiterStrategy.perCheckpoint(EVENTS_PER_CHECKPOINT);
        o.requestsPerSecond = 20;
        StreamingRun run = StreamingRun.start(config(backend), STREAM, o);

        JobProbe.awaitCheckpoints(mini, run.client.getJobID(), 2, Duration.ofSeconds(60));
        int victim = nextVictim++;
        mini.terminateTaskManager(victim).get(30, TimeUnit.SECONDS);
        mini.startTaskManager();
        Map<String, String> answers = Answers.byRequest(run.awaitAnswers(Duration.ofMinutes(2)));

        int restarts = JobProbe.restarts(mini, run.client.getJobID());
        assertThat(restarts)
                .as("restarts after TaskManager %d was terminated", victim)
                .isGreaterThanOrEqualTo(1);
        LOG.info(
                "TaskManager loss on {}: restarts {}, answers {}",
                backend,
                restarts,
                answers.size());
        assertThat(answers).isEqualTo(expected);
    }
}
