package io.walkstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The surge scenario: the schedule, when p99 counts as recovered, and the real job through a small
 * surge. What it asserts does not depend on the machine's speed: admission at 20/s over 4 s of 40/s
 * cannot admit more than the buckets' first second plus 4 s of refill, so at least 60 of the
 * surge's 160 requests must be shed, and every request gets an answer.
 */
class SurgeBenchmarkTest {
    private static final SurgeBenchmark.Phases PHASES = new SurgeBenchmark.Phases(2, 3, 4, 6);

    @Test
    void theScheduleDoublesTheRateDuringTheSurgeOnly() {
        double[] rates = SurgeBenchmark.schedule(25, PHASES);
        assertThat(rates)
                .containsExactly(25, 25, 25, 25, 25, 50, 50, 50, 50, 25, 25, 25, 25, 25, 25);
    }

    @Test
    void recoveryIsTheFirstSecondAfterWhichP99StaysUnderTheTarget() {
        // Seconds after the warm-up: 3 before, 4 of surge (3..6), then 6 after (7..12).
        double[] p99 = {20, 20, 20, 300, 400, 300, 200, 120, 30, 80, 40, 30, 20};
        assertThat(SurgeBenchmark.recoverySeconds(seconds(p99), PHASES, 50))
                .as("second 9 was over the target again: recovered from second 10")
                .isEqualTo(3);
        double[] never = {20, 20, 20, 300, 400, 300, 200, 120, 30, 30, 40, 30, 90};
        assertThat(SurgeBenchmark.recoverySeconds(seconds(never), PHASES, 50)).isInfinite();
        double[] at = {20, 20, 20, 300, 400, 300, 200, 20, 30, 30, 40, 30, 20};
        assertThat(SurgeBenchmark.recoverySeconds(seconds(at), PHASES, 50)).isZero();
    }

    @Test
    void eachReadingOfTheEmittedRequestsCountsForItsSecondAndTheSecondsAfter() {
        long[] emittedBy = new long[5];
        SurgeBenchmark.recordEmitted(emittedBy, -1, 3); // before the first second ended
        SurgeBenchmark.recordEmitted(emittedBy, 0, 25);
        SurgeBenchmark.recordEmitted(emittedBy, 2, 75); // second 1 overslept
        assertThat(emittedBy).containsExactly(25, 25, 75, 75, 75);
        SurgeBenchmark.recordEmitted(emittedBy, 4, 130);
        assertThat(emittedBy).containsExactly(25, 25, 75, 75, 130);
    }

    @Test
    void aSecondIsMarkedWhenACheckpointRanDuringIt() {
        long start = 1_000_000;
        List<FlinkRest.Checkpoint> done =
                List.of(
                        checkpoint(start - 5_000, 1_000), // over before the schedule
                        checkpoint(start - 500, 1_000), // into second 0
                        checkpoint(start + 1_500, 2_000), // seconds 1 to 3
                        checkpoint(start + 9_000, 3_000)); // past the schedule's 6 seconds
        assertThat(SurgeBenchmark.checkpointing(done, start, 6))
                .containsExactly(true, true, true, true, false, false);
    }

    private static FlinkRest.Checkpoint checkpoint(long triggerMs, long durationMs) {
        return new FlinkRest.Checkpoint(1, 0, 0, durationMs, triggerMs);
    }

    @Test
    void aSurgeIsShedAndEveryRequestAnswered(@TempDir Path out) throws Exception {
        BenchCli.succeeds(
                "bench",
                "--scenario",
                "surge",
                "--quick",
                "--users",
                "2000",
                "--items",
                "300",
                "--preload",
                "20000",
                "--ingest-rate",
                "2000",
                "--walkers",
                "200",
                "--surge-rate",
                "20",
                "--surge-seconds",
                "4",
                "--surge-warmup-seconds",
                "2",
                "--surge-calm-seconds",
                "4",
                "--out",
                out.toString());
        assertThat(out.resolve("surge.png")).isNotEmptyFile();
        JsonNode surge =
                new ObjectMapper().readTree(out.resolve("bench.json").toFile()).get("surge");
        assertThat(surge.get("admissionRatePerSecond").asDouble()).isEqualTo(20);
        assertThat(surge.get("scheduled").asLong()).isEqualTo(20 * (2 + 2 + 4) + 40 * 4);
        assertThat(surge.get("requests").asLong()).isGreaterThanOrEqualTo(160);
        assertThat(surge.get("unanswered").asLong()).isZero();
        assertThat(surge.get("answered").asLong()).isEqualTo(surge.get("requests").asLong());
        assertThat(surge.get("shed").asLong()).isGreaterThanOrEqualTo(60);
        assertThat(surge.get("seconds")).hasSize(2 + 4 + 4);
        long shedInSurge = 0;
        for (int i = 2; i < 6; i++) {
            shedInSurge += surge.get("seconds").get(i).get("shed").asLong();
        }
        assertThat(shedInSurge).as("shed during the surge itself").isPositive();
        long emittedInSurge = 0;
        for (int i = 2; i < 6; i++) {
            emittedInSurge += surge.get("seconds").get(i).get("emitted").asLong();
        }
        assertThat(emittedInSurge)
                .as("the source's requests, second by second")
                .isGreaterThanOrEqualTo(shedInSurge);
    }

    private static List<SurgeBenchmark.Second> seconds(double[] p99) {
        List<SurgeBenchmark.Second> xs = new ArrayList<>();
        for (int i = 0; i < p99.length; i++) {
            xs.add(new SurgeBenchmark.Second(i, 25, 25, 25, 0, p99[i] / 2, p99[i], false));
        }
        return xs;
    }
}
