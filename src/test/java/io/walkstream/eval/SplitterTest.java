package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SplitterTest {
    private static Event ev(String user, String item, long ts) {
        return Event.interaction(user, item, Action.RATE, ts, 1f);
    }

    private static List<Event> log() {
        List<Event> l = new ArrayList<>();
        l.add(ev("u1", "a", 1));
        l.add(ev("u1", "b", 2));
        l.add(ev("u2", "a", 3));
        l.add(ev("u1", "c", 4));
        l.add(ev("u2", "c", 5));
        l.add(ev("u2", "d", 5)); // tie with c at u2's last timestamp
        l.add(ev("u3", "b", 6)); // single interaction: no test
        return l;
    }

    @Test
    void leaveLastOutHoldsOutEachUsersLatestAndReplaysTheRest() {
        Split s = Splitter.leaveLastOut(log());
        assertThat(s.tests()).extracting(TestCase::user).containsExactly("u1", "u2");
        TestCase u1 = s.tests().get(0);
        assertThat(u1.relevant()).containsExactly("c");
        assertThat(u1.ts()).isEqualTo(4);
        assertThat(u1.isSampled()).isFalse();
        String heldU2 = s.tests().get(1).relevant().iterator().next();
        // the tie is broken by the stable hash of user and item, whichever the order in the file
        String expected = StableHash.of("u2", "c", 0) > StableHash.of("u2", "d", 0) ? "c" : "d";
        assertThat(heldU2).isEqualTo(expected);
        assertThat(s.train()).hasSize(log().size() - 2); // u3's only event stays in training
        assertThat(s.train()).noneMatch(e -> e.user.equals("u1") && e.item.equals("c"));
    }

    @Test
    void metadataOfAnItemSeenOnlyInAHeldOutEventDoesNotStayInTraining() {
        // Taobao-style: each item's metadata is announced at its first interaction. "new" is
        // touched only by u1's held-out last event; its metadata (stamped at the test time) would
        // reveal it.
        List<Event> l = new ArrayList<>();
        l.add(Event.item("a", "c1", null, null, null, 1));
        l.add(ev("u1", "a", 1));
        l.add(ev("u2", "a", 2));
        l.add(Event.item("b", "c1", null, null, null, 3));
        l.add(ev("u2", "b", 3)); // u2's held-out event, but u3's b stays in training: b's metadata
        // stays
        l.add(ev("u3", "b", 3));
        l.add(ev("u3", "a", 5));
        l.add(Event.item("new", "c1", null, null, null, 4));
        l.add(ev("u1", "new", 4));
        Split s = Splitter.leaveLastOut(l);
        assertThat(s.tests()).extracting(TestCase::relevant).contains(Set.of("new"));
        assertThat(s.train()).noneMatch(e -> "new".equals(e.item));
        assertThat(s.train())
                .filteredOn(e -> e.kind == Event.ITEM)
                .extracting(e -> e.item)
                .containsExactly("a", "b");
    }

    @Test
    void tieBreakDoesNotDependOnInputOrder() {
        List<Event> reversed = new ArrayList<>(log());
        Event c = reversed.get(4), d = reversed.get(5);
        reversed.set(4, d);
        reversed.set(5, c);
        assertThat(Splitter.leaveLastOut(reversed).tests().get(1).relevant())
                .isEqualTo(Splitter.leaveLastOut(log()).tests().get(1).relevant());
    }

    @Test
    void sampledNegativesAreItemsTheUserNeverTouchedAndAreSeeded() {
        List<Event> l = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            l.add(ev("other", "i" + i, i));
        }
        l.add(ev("u", "i1", 100));
        l.add(ev("u", "i2", 101));
        l.add(ev("u", "i3", 102));
        Split s = Splitter.sampled(l, 10, 7);
        TestCase t = s.tests().stream().filter(x -> x.user().equals("u")).findFirst().orElseThrow();
        assertThat(t.candidates())
                .hasSize(11)
                .doesNotHaveDuplicates()
                .startsWith("i3")
                .doesNotContain("i1", "i2");
        assertThat(Splitter.sampled(l, 10, 7).tests()).isEqualTo(s.tests());
        assertThat(Splitter.sampled(l, 10, 8).tests()).isNotEqualTo(s.tests());
    }

    @Test
    void timeSplitAsksAtTheCutoffForItemsNewAfterIt() {
        Split s = Splitter.timeSplit(log(), 4);
        assertThat(s.train()).allMatch(e -> e.ts < 4);
        assertThat(s.tests()).hasSize(2);
        assertThat(s.tests().get(0).relevant()).isEqualTo(Set.of("c"));
        assertThat(s.tests().get(1).relevant()).isEqualTo(Set.of("c", "d"));
        assertThat(s.tests()).allMatch(t -> t.ts() == 4);
        assertThat(Splitter.cutoffAt(log(), 0.5)).isEqualTo(4);
        assertThat(s.train().stream().map(e -> e.user).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("u1", "u2");
    }
}
