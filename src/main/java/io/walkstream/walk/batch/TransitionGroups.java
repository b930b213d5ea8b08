package io.walkstream.walk.batch;

import io.walkstream.model.GraphUpdate;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.flink.util.OutputTag;

/**
 * The transition edges a step emits while handling one interaction (up to {@code
 * graph.transitionWindow}, each to another item), grouped by the Item subtask that owns the earlier
 * item: one {@link GraphUpdate#TRANSITIONS} record per subtask instead of one record per edge.
 * Edges of one interaction share their next item, action and time; an edge that does not is sent
 * after the ones held.
 */
final class TransitionGroups {
    private final SubtaskRoutes routes;
    private final long[][] targets;
    private final float[][] weights;
    private final int[] counts;
    private OutputTag<?> tag;
    private long nbr, ts;
    private byte action, nodeKind;
    private boolean holding;

    TransitionGroups(SubtaskRoutes routes) {
        this.routes = routes;
        int p = routes.parallelism();
        targets = new long[p][8];
        weights = new float[p][8];
        counts = new int[p];
    }

    /** Whether {@code u} can join the held edges (same output, next item, action and time). */
    boolean fits(OutputTag<?> out, GraphUpdate u) {
        return !holding
                || (Objects.equals(out, tag) && u.nbr == nbr && u.ts == ts && u.action == action);
    }

    void add(OutputTag<?> out, GraphUpdate u) {
        if (!holding) {
            holding = true;
            tag = out;
            nbr = u.nbr;
            ts = u.ts;
            action = u.action;
            nodeKind = u.nodeKind;
        }
        int s = routes.subtaskOf(u.node);
        int n = counts[s]++;
        if (n == targets[s].length) {
            targets[s] = Arrays.copyOf(targets[s], 2 * n);
            weights[s] = Arrays.copyOf(weights[s], 2 * n);
        }
        targets[s][n] = u.node;
        weights[s][n] = u.weight;
    }

    /** One update per subtask with edges, in subtask order, to {@code emit}; then none held. */
    void drain(BiConsumer<OutputTag<?>, GraphUpdate> emit) {
        if (!holding) {
            return;
        }
        holding = false;
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] == 0) {
                continue;
            }
            GraphUpdate batch =
                    GraphUpdate.of(GraphUpdate.TRANSITIONS, routes.routeKey(s), nbr, ts);
            batch.nodeKind = nodeKind;
            batch.action = action;
            batch.targets = Arrays.copyOf(targets[s], counts[s]);
            batch.targetWeights = Arrays.copyOf(weights[s], counts[s]);
            counts[s] = 0;
            emit.accept(tag, batch);
        }
    }

    /**
     * The single edges of a {@link GraphUpdate#TRANSITIONS} update, in the order they were sent.
     */
    static GraphUpdate edge(GraphUpdate batch, int k) {
        GraphUpdate t =
                GraphUpdate.of(GraphUpdate.TRANSITION, batch.targets[k], batch.nbr, batch.ts);
        t.nodeKind = batch.nodeKind;
        t.action = batch.action;
        t.weight = batch.targetWeights[k];
        return t;
    }
}
