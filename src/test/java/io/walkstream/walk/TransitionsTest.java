package io.walkstream.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.GraphConfig;
import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.Request;
import io.walkstream.testing.Answers;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobRunner;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transition edges ("what users did next") and the transitions hop, on a hand-made log whose exact
 * answer is known: u1 went a → b, u2 a → x → b, u3 a → c. With a window of 3 and weights 1/k, a's
 * transitions are b: 1 + 1/2, x: 1, c: 1; a user whose only interaction is a, walking with every
 * walker along transitions, must put exactly 1.5/3.5, 1/3.5 and 1/3.5 of its walkers on b, x, c.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TransitionsTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final long T = 1_700_000_000_000L;
    static final List<Event> LOG =
            List.of(
                    view("u1", "a", 1),
                    view("u1", "b", 2),
                    view("u2", "a", 3),
                    view("u2", "x", 4),
                    view("u2", "b", 5),
                    view("u3", "a", 6),
                    view("u3", "c", 7),
                    view("u9", "a", 8));

    static Event view(String user, String item, long second) {
        return Event.interaction(user, item, Action.VIEW, T + second * 1000);
    }

    static JobConfig config(StateBackend backend) {
        JobConfig cfg = Clusters.config(backend);
        cfg.graph.halfLifeMs = 0; // no decay: weights are 1/k exactly
        cfg.walk.transitionShare = 1;
        cfg.rank.beta = 0;
        cfg.rank.similarityBlend = 0;
        return cfg;
    }

    static Request request() {
        return Request.forUser("next", "u9", 3, T + 100_000);
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void walkersOnASeedFollowItsTransitionsInExactProportion(StateBackend backend)
            throws Exception {
        JobRunner.Run run = JobRunner.run(config(backend), LOG, List.of(request()));
        Recommendation r = run.get("next");

        Map<String, Integer> visits =
                Arrays.stream(r.items).collect(Collectors.toMap(i -> i.item, i -> i.visits));
        assertThat(visits)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "b",
                                (int) Math.round(1000 * 1.5 / 3.5),
                                "x",
                                (int) Math.round(1000 / 3.5),
                                "c",
                                (int) Math.round(1000 / 3.5)));
        assertThat(r.items[0].item).isEqualTo("b");
        assertThat(r.items[0].score / r.items[1].score).isCloseTo(1.5, Offset.offset(1e-4));
        for (RecommendedItem i : r.items) {
            assertThat(i.reasons).contains("often next after a");
            assertThat(i.contexts).as("no context in between").isZero();
        }
        assertThat(r.partial).isFalse();
        // Seed derived one edge per earlier interaction in the window, except a repeat of the same
        // item.
        assertThat(run.counter("seed.transitionsOut")).isEqualTo(1 + 3 + 1);
    }

    /**
     * u1 went a → x → y → b: a's transitions are x (k 1), y (k 2), b (k 3), weighing 1, 1/2, 1/3
     * harmonic and 1, 1/2, 1/4 geometric; u9, on a alone, puts its walkers on them in that
     * proportion.
     */
    @ParameterizedTest
    @EnumSource(GraphConfig.TransitionWeighting.class)
    void transitionWeightingSetsHowAnEdgeFallsWithItsDistance(GraphConfig.TransitionWeighting w)
            throws Exception {
        JobConfig cfg = config(StateBackend.HASHMAP);
        cfg.graph.transitionWeighting = w;
        List<Event> log =
                List.of(
                        view("u1", "a", 1),
                        view("u1", "x", 2),
                        view("u1", "y", 3),
                        view("u1", "b", 4),
                        view("u9", "a", 8));
        Recommendation r = JobRunner.run(cfg, log, List.of(request())).get("next");
        double third = w == GraphConfig.TransitionWeighting.HARMONIC ? 1 / 3.0 : 1 / 4.0;
        double total = 1 + 0.5 + third;
        Map<String, Integer> visits =
                Arrays.stream(r.items).collect(Collectors.toMap(i -> i.item, i -> i.visits));
        assertThat(visits)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "x",
                                (int) Math.round(1000 / total),
                                "y",
                                (int) Math.round(1000 * 0.5 / total),
                                "b",
                                (int) Math.round(1000 * third / total)));
        assertThat(w.weight(1)).isEqualTo(1);
        assertThat(w.weight(3)).isEqualTo(third);
    }

    @Test
    void answersAreByteIdenticalAcrossBackendsAndWithBatchingOnAndOff() throws Exception {
        JobConfig mixed = config(StateBackend.HASHMAP);
        mixed.walk.transitionShare = 0.5; // half the walkers take the co-engagement hop
        List<Request> requests = List.of(request(), Request.forUser("u1", "u1", 5, T + 100_000));
        Map<String, String> heap = Answers.byRequest(JobRunner.run(mixed, LOG, requests).results());

        JobConfig rocks = config(StateBackend.ROCKSDB);
        rocks.walk.transitionShare = 0.5;
        JobConfig unbatched = config(StateBackend.HASHMAP);
        unbatched.walk.transitionShare = 0.5;
        unbatched.walk.batching = false;

        assertThat(Answers.byRequest(JobRunner.run(rocks, LOG, requests).results()))
                .isEqualTo(heap);
        assertThat(Answers.byRequest(JobRunner.run(unbatched, LOG, requests).results()))
                .isEqualTo(heap);
        assertThat(heap.get("next")).contains("often next after a").contains("reached through");
    }
}
