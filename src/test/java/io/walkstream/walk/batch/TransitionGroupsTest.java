package io.walkstream.walk.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One interaction's transition edges leave as one update per Item subtask and unpack unchanged. */
class TransitionGroupsTest {
    private final SubtaskRoutes routes = new SubtaskRoutes(128, 2);

    @Test
    void oneUpdatePerSubtaskCarryingItsEdgesInOrder() {
        TransitionGroups groups = new TransitionGroups(routes);
        List<GraphUpdate> edges = new ArrayList<>();
        for (long item = 1; item <= 16; item++) {
            GraphUpdate t = GraphUpdate.of(GraphUpdate.TRANSITION, item * 7919, 42L, 1_000L);
            t.nodeKind = GraphUpdate.ITEM_NODE;
            t.action = Action.CLICK.code();
            t.weight = 1f / item;
            assertThat(groups.fits(null, t)).isTrue();
            groups.add(null, t);
            edges.add(t);
        }
        List<GraphUpdate> sent = new ArrayList<>();
        groups.drain((tag, u) -> sent.add(u));

        assertThat(sent).hasSizeBetween(1, 2);
        List<GraphUpdate> unpacked = new ArrayList<>();
        for (GraphUpdate batch : sent) {
            assertThat(batch.kind).isEqualTo(GraphUpdate.TRANSITIONS);
            int subtask = routes.subtaskOf(batch.node);
            for (int k = 0; k < batch.targets.length; k++) {
                assertThat(routes.subtaskOf(batch.targets[k])).isEqualTo(subtask);
                unpacked.add(TransitionGroups.edge(batch, k));
            }
        }
        // Every edge once, unchanged; within a subtask in the order they were emitted.
        assertThat(unpacked)
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyInAnyOrderElementsOf(edges);
        for (int s = 0; s < 2; s++) {
            int subtask = s;
            assertThat(unpacked.stream().filter(u -> routes.subtaskOf(u.node) == subtask))
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(
                            edges.stream()
                                    .filter(u -> routes.subtaskOf(u.node) == subtask)
                                    .toList());
        }
        List<GraphUpdate> again = new ArrayList<>();
        groups.drain((tag, u) -> again.add(u));
        assertThat(again).as("nothing held after a drain").isEmpty();
    }

    @Test
    void anEdgeOfAnotherInteractionDoesNotJoinTheHeldOnes() {
        TransitionGroups groups = new TransitionGroups(routes);
        GraphUpdate first = GraphUpdate.of(GraphUpdate.TRANSITION, 1L, 42L, 1_000L);
        groups.add(null, first);
        assertThat(groups.fits(null, GraphUpdate.of(GraphUpdate.TRANSITION, 2L, 42L, 1_000L)))
                .isTrue();
        assertThat(groups.fits(null, GraphUpdate.of(GraphUpdate.TRANSITION, 2L, 43L, 1_000L)))
                .isFalse();
        assertThat(groups.fits(null, GraphUpdate.of(GraphUpdate.TRANSITION, 2L, 42L, 1_001L)))
                .isFalse();
    }
}
