package io.walkstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.config.WalkConfig;
import io.walkstream.model.Recommendation;
import io.walkstream.testing.Answers;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobProbe;
import io.walkstream.testing.SourceGate;
import io.walkstream.testing.StreamingRun;
import io.walkstream.testing.SyntheticStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stop with a savepoint mid-stream at parallelism 2, resume at 3, stop again, resume at 1 and run
 * to the end (max parallelism fixed at 128): every request is answered exactly once over the three
 * runs and every answer equals the answer of a run that never stopped. Graph state, held walkers
 * and open requests all move between differently-sized sets of subtasks.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RescaleFromSavepointTest {
    private static final Logger LOG = LoggerFactory.getLogger(RescaleFromSavepointTest.class);

    @RegisterExtension
    static final MiniClusterExtension MINI =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(3)
                            .build());

    static final SyntheticStream STREAM = new SyntheticStream(60, 80, 3000, 40);
    static final int SOURCE_PARALLELISM = 2;

    static JobConfig config(StateBackend backend) {
        JobConfig cfg = Clusters.config(backend);
        cfg.walk.alignment = WalkConfig.Alignment.END_OF_INPUT;
        return cfg;
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void rescaling2To3To1ThroughSavepointsChangesNoAnswer(
            StateBackend backend, @InjectMiniCluster MiniCluster mini, @TempDir Path dir)
            throws Exception {
        JobConfig cfg = config(backend);
        Map<String, String> expected =
                Answers.byRequest(
                        StreamingRun.start(cfg, STREAM, new StreamingRun.Options())
                                .awaitAnswers(Duration.ofMinutes(2)));
        assertThat(expected).hasSize(STREAM.requests);

        List<Recommendation> answers = new ArrayList<>();
        String savepoint = null;
        int[] parallelisms = {2, 3, 1};
        for (int i = 0; i < parallelisms.length; i++) {
            StreamingRun.Options o = new StreamingRun.Options();
            o.parallelism = parallelisms[i];
            // The generator sources keep parallelism 2 in every run; walkstream's operators
            // rescale. (The sources' split ranges are made once, for the first run's two readers: a
            // third reader would have no split and finish at once, racing the stop-with-savepoint.)
            o.sourceParallelism = SOURCE_PARALLELISM;
            o.restoreFrom = savepoint;
            boolean last = i == parallelisms.length - 1;
            // The stopped runs each get about a third of the input: their sources stop at a gate
            // (and wait there, taking checkpoints) instead of racing the test's stop; the last run
            // gets the rest.
            SourceGate events = last ? null : new SourceGate(STREAM.events() / 3);
            SourceGate requests = last ? null : new SourceGate(STREAM.requests / 3);
            o.eventLimiter = events;
            o.requestLimiter = requests;
            StreamingRun run = StreamingRun.start(cfg, STREAM, o);
            try {
                if (!last) {
                    // Mid-stream by construction: every task running (a checkpoint completed) and
                    // both sources at their gates — conditions, not a pause.
                    JobProbe.awaitCheckpoints(
                            mini, run.client.getJobID(), 1, Duration.ofSeconds(60));
                    events.awaitReached(SOURCE_PARALLELISM, Duration.ofSeconds(60));
                    requests.awaitReached(SOURCE_PARALLELISM, Duration.ofSeconds(60));
                    savepoint =
                            run.stopWithSavepoint(
                                    dir.resolve("sp" + i).toUri().toString(),
                                    Duration.ofSeconds(60));
                    List<Recommendation> some = run.answersSoFar(Duration.ofSeconds(30));
                    LOG.info(
                            "{}: stopped at parallelism {} with savepoint {} after {} answers",
                            backend,
                            parallelisms[i],
                            savepoint,
                            some.size());
                    answers.addAll(some);
                } else {
                    answers.addAll(run.awaitAnswers(Duration.ofMinutes(2)));
                }
            } catch (Throwable t) {
                run.client.cancel(); // free the slots for the next test
                throw t;
            }
        }
        assertThat(savepoint).isNotNull();
        assertThat(Answers.byRequest(answers)).isEqualTo(expected);
    }
}
