package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cold slice: requests that held out an item the training data never saw, hits on such items.
 */
class ColdTargetsTest {
    private static final TrainingData DATA =
            new TrainingData(
                    List.of(
                            Event.interaction("u1", "a", Action.RATE, 1, 1f),
                            Event.interaction("u2", "b", Action.RATE, 2, 1f)));

    @Test
    void hitRateOverRequestsWhoseTargetsAppearOnlyInTheTestPeriod() {
        MetricsAccumulator m = new MetricsAccumulator("m", List.of(10, 20), DATA);
        m.add(List.of("a", "new1"), Set.of("new1")); // cold, hit
        m.add(List.of("a", "b"), Set.of("new2")); // cold, miss
        m.add(List.of("a", "b"), Set.of("b")); // known item: not in the slice
        m.add(List.of("a", "b"), Set.of("a", "new3")); // a hit, but not on the cold item
        m.add(List.of("new4", "b"), Set.of("b", "new4")); // a hit on the cold item
        MethodResult r = m.result(0);
        assertThat(r.requests()).isEqualTo(5);
        assertThat(r.coldRequests()).isEqualTo(4);
        assertThat(r.coldHitRate()).isEqualTo(0.5);
        String report =
                ReportWriter.markdown(
                        new EvalReport(
                                Map.of("ks", List.of(10)),
                                new JobConfig(),
                                Map.of(),
                                List.of(r),
                                0));
        assertThat(report).contains("## Cold test items", "| m | 4 | 0.5000 |");
        MethodResult none = new MetricsAccumulator("w", List.of(10), DATA).result(0);
        assertThat(none.coldRequests()).isZero();
        assertThat(none.coldHitRate()).isNull();
    }
}
