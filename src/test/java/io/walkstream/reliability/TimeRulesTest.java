package io.walkstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The time rules of docs/reliability.md, with {@code walk.alignment: WATERMARK}: an edge is visible
 * to a request exactly when its timestamp is at or before the request's; a late event (older than
 * the watermark) is still applied, never dropped; a request older than every event sees none of
 * them.
 *
 * <pre>
 * bob and carol bought a and b; dave bought x and y; alice bought a.
 * If alice also likes x, dave's y becomes reachable for her.
 * </pre>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TimeRulesTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final long T = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;

    static List<Event> shop() {
        List<Event> e = new ArrayList<>();
        e.add(Event.interaction("bob", "a", Action.PURCHASE, T));
        e.add(Event.interaction("bob", "b", Action.PURCHASE, T + 1));
        e.add(Event.interaction("carol", "a", Action.PURCHASE, T + 2));
        e.add(Event.interaction("carol", "b", Action.PURCHASE, T + 3));
        e.add(Event.interaction("dave", "x", Action.PURCHASE, T + 4));
        e.add(Event.interaction("dave", "y", Action.PURCHASE, T + 5));
        e.add(Event.interaction("alice", "a", Action.PURCHASE, T + 6));
        return e;
    }

    static List<String> ids(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toList();
    }

    @Test
    void anEdgeStampedAtTheRequestTimeIsVisibleAndOneStampedAMillisecondLaterIsNot()
            throws Exception {
        List<Event> events = shop();
        events.add(Event.interaction("alice", "x", Action.LIKE, T + HOUR));
        JobRunner.Run run =
                JobRunner.run(
                        Clusters.config(StateBackend.HASHMAP),
                        events,
                        List.of(
                                Request.forUser("at", "alice", 5, T + HOUR),
                                Request.forUser("just-before", "alice", 5, T + HOUR - 1)));
        assertThat(ids(run.get("at"))).contains("y");
        assertThat(ids(run.get("just-before"))).containsExactly("b");
    }

    @Test
    void aLateEventIsAppliedNotDroppedAndRequestsStampedAfterItSeeIt() throws Exception {
        List<Event> events = shop();
        events.add(
                Event.interaction(
                        "zed", "q", Action.VIEW, T + 10 * HOUR)); // the watermark moves to T+10h
        events.add(Event.interaction("alice", "x", Action.LIKE, T + 2 * HOUR)); // 8 hours late
        JobRunner.Run run =
                JobRunner.run(
                        Clusters.config(StateBackend.HASHMAP),
                        events,
                        List.of(Request.forUser("after-late", "alice", 5, T + 11 * HOUR)));
        assertThat(ids(run.get("after-late"))).contains("y");
    }

    @Test
    void aRequestOlderThanEveryEventSeesNoneOfThemAndIsStillAnswered() throws Exception {
        JobRunner.Run run =
                JobRunner.run(
                        Clusters.config(StateBackend.HASHMAP),
                        shop(),
                        List.of(Request.forUser("ancient", "alice", 5, T - HOUR)));
        Recommendation r = run.get("ancient");
        assertThat(r.items).isEmpty();
        assertThat(r.partial)
                .isTrue(); // alice has no behaviour yet at that time: every walker is absorbed
    }
}
