package io.walkstream.walk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.config.WalkConfig;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.NodeIds;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.Request;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole dataflow on a graph small enough to know the right answer by looking at it, on the heap
 * and the RocksDB backends (parallelism 2).
 *
 * <pre>
 * bob and carol bought a and b; bob also viewed c; dave bought x and y.
 * alice bought a  → b (two co-buyers, strong action) before c (one co-viewer, weak action).
 * </pre>
 */
class SmallGraphJobTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final long T = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;

    static List<Event> shop() {
        List<Event> e = new ArrayList<>();
        e.add(Event.interaction("bob", "a", Action.PURCHASE, T));
        e.add(Event.interaction("bob", "b", Action.PURCHASE, T + 1));
        e.add(Event.interaction("bob", "c", Action.VIEW, T + 2));
        e.add(Event.interaction("carol", "a", Action.PURCHASE, T + 3));
        e.add(Event.interaction("carol", "b", Action.PURCHASE, T + 4));
        e.add(Event.interaction("dave", "x", Action.PURCHASE, T + 5));
        e.add(Event.interaction("dave", "y", Action.PURCHASE, T + 6));
        e.add(Event.interaction("alice", "a", Action.PURCHASE, T + 7));
        return e;
    }

    static String[] ids(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toArray(String[]::new);
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void answersUserItemToItemAndCandidateRequests(StateBackend backend) throws Exception {
        JobConfig cfg = Clusters.config(backend);
        cfg.walk.transitionShare = 0; // the co-engagement walk, whose paths this test reads
        Request forAlice = Request.forUser("r-alice", "alice", 5, T + HOUR);
        Request likeA = Request.forItem("r-like-a", "a", 5, T + HOUR);
        Request scoreList = Request.forUser("r-cands", "alice", 5, T + HOUR);
        scoreList.candidates = new String[] {"c", "zzz-unknown", "b"};

        JobRunner.Run run = JobRunner.run(cfg, shop(), List.of(forAlice, likeA, scoreList));
        assertThat(run.results()).hasSize(3);

        Recommendation alice = run.get("r-alice");
        assertThat(ids(alice)).containsExactly("b", "c"); // a is hers already; x, y are unreachable
        assertThat(alice.partial).isFalse();
        assertThat(alice.arrived).isEqualTo(cfg.walk.walkers);
        assertThat(alice.items[0].score).isGreaterThan(alice.items[1].score);
        RecommendedItem b = alice.items[0];
        assertThat(b.via).containsExactly("a");
        assertThat(b.contexts).isBetween(2, 3); // reached via bob, carol (and alice herself)
        assertThat(b.reasons).contains("because you bought a");
        assertThat(b.source).isEqualTo("walk");

        Recommendation like = run.get("r-like-a");
        assertThat(ids(like)).containsExactly("b", "c");
        assertThat(like.items[0].reasons).anyMatch(s -> s.startsWith("similar to a"));

        Recommendation scored = run.get("r-cands");
        assertThat(ids(scored))
                .containsExactly("b", "c", "zzz-unknown"); // every candidate, best first
        assertThat(scored.items[2].score).isZero();
        assertThat(scored.items[2].visits).isZero();
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void aNewInteractionChangesTheNextAnswer(StateBackend backend) throws Exception {
        List<Event> events = shop();
        // Later, alice likes x: dave's y becomes reachable, and only requests after it may see it.
        events.add(Event.interaction("alice", "x", Action.LIKE, T + 2 * HOUR));
        Request before = Request.forUser("before", "alice", 5, T + HOUR);
        Request after = Request.forUser("after", "alice", 5, T + 3 * HOUR);

        JobRunner.Run run = JobRunner.run(Clusters.config(backend), events, List.of(before, after));
        assertThat(ids(run.get("before"))).containsExactly("b", "c");
        assertThat(ids(run.get("after"))).contains("y").doesNotContain("x", "a");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void endOfInputAlignmentAnswersAfterTheReplayButSeesOnlyEarlierEvents(StateBackend backend)
            throws Exception {
        List<Event> events = shop();
        events.add(Event.interaction("alice", "x", Action.LIKE, T + 2 * HOUR));
        JobConfig cfg = Clusters.config(backend);
        cfg.walk.alignment = WalkConfig.Alignment.END_OF_INPUT;
        JobRunner.Run run =
                JobRunner.run(
                        cfg,
                        events,
                        List.of(
                                Request.forUser("before", "alice", 5, T + HOUR),
                                Request.forUser("after", "alice", 5, T + 3 * HOUR)));
        assertThat(ids(run.get("before"))).containsExactly("b", "c");
        assertThat(ids(run.get("after"))).contains("y").doesNotContain("x", "a");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void deadEndsGiveAPartialAnswerNeverSilence(StateBackend backend) throws Exception {
        List<Event> events = shop();
        events.add(
                Event.follow(
                        "alice", "ghost",
                        T + 8)); // ghost has no items: walkers sent there are absorbed
        Request cold = Request.forUser("cold", "nobody", 5, T + HOUR);
        Request half = Request.forUser("half", "alice", 5, T + HOUR);

        JobRunner.Run run = JobRunner.run(Clusters.config(backend), events, List.of(cold, half));
        Recommendation c = run.get("cold");
        assertThat(c.partial).isTrue();
        assertThat(c.items).isEmpty();
        assertThat(c.absorbed).isEqualTo(c.walkers);

        Recommendation h = run.get("half");
        assertThat(h.partial).isTrue();
        assertThat(h.absorbed).isPositive();
        assertThat(h.arrived + h.absorbed).isEqualTo(h.walkers); // every walker accounted for
        assertThat(ids(h)).containsExactly("b", "c");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void dislikedItemsAndRequestExclusionsAreNeverReturned(StateBackend backend) throws Exception {
        List<Event> events = shop();
        events.add(Event.interaction("alice", "b", Action.DISLIKE, T + 9));
        Request r1 = Request.forUser("r1", "alice", 5, T + HOUR);
        Request r2 = Request.forUser("r2", "bob", 5, T + HOUR);
        r2.exclude = new String[] {"nothing-here"};
        Request r3 = Request.forItem("r3", "a", 5, T + HOUR);
        r3.exclude = new String[] {"b"};

        JobRunner.Run run = JobRunner.run(Clusters.config(backend), events, List.of(r1, r2, r3));
        assertThat(ids(run.get("r1"))).containsExactly("c");
        assertThat(ids(run.get("r2"))).isEmpty(); // bob has every item his neighbours have
        assertThat(ids(run.get("r3"))).containsExactly("c");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void inspectReportsWhatEveryStepHoldsAboutANode(StateBackend backend) throws Exception {
        Request item = new Request();
        item.requestId = "inspect-a";
        item.inspect = "a";
        item.ts = T + HOUR;
        Request user = new Request();
        user.requestId = "inspect-bob";
        user.inspect = "bob";
        user.ts = T + HOUR;
        JobRunner.Run run = JobRunner.run(Clusters.config(backend), shop(), List.of(item, user));

        var a = new ObjectMapper().readTree(run.get("inspect-a").inspect);
        assertThat(a.get("node").asText()).isEqualTo("a");
        assertThat(a.at("/item/users/held").asInt()).isEqualTo(3); // bob, carol, alice bought it
        assertThat(a.at("/score/id").asText()).isEqualTo("a");
        assertThat(a.at("/score/degree").asInt()).isEqualTo(3);
        assertThat(a.at("/score/vectorNorm").asDouble()).isPositive();
        assertThat(run.get("inspect-a").items).isEmpty();

        var bob = new ObjectMapper().readTree(run.get("inspect-bob").inspect);
        assertThat(bob.at("/seed/behaviour/held").asInt()).isEqualTo(3);
        assertThat(bob.at("/seed/behaviour/recent/0/action").asText())
                .isEqualTo("view"); // c, his latest
        assertThat(bob.at("/seed/behaviour/recent/0/node").asText())
                .isEqualTo(String.format("%016x", NodeIds.hash("c")));
        assertThat(bob.at("/context/items/held").asInt()).isEqualTo(3);
    }
}
