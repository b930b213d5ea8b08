package io.walkstream.walk.batch;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Which parallel instance of a keyed step owns a node, and a key to send that instance a batch by.
 * Flink assigns a key to key group {@code murmur(hash) % maxParallelism} and key groups to subtasks
 * in contiguous ranges; every keyed step of the job has the same parallelism and max parallelism,
 * so a step can work out where its downstream step keeps any node.
 */
public final class SubtaskRoutes {
    private final int maxParallelism;
    private final int parallelism;

    /** Per subtask, a Long key Flink sends to it: batches are keyed by these. */
    private final long[] routeKeys;

    public SubtaskRoutes(int maxParallelism, int parallelism) {
        this.maxParallelism = maxParallelism;
        this.parallelism = parallelism;
        this.routeKeys = new long[parallelism];
        int found = 0;
        boolean[] seen = new boolean[parallelism];
        for (long k = 0; found < parallelism; k++) {
            int s = subtaskOf(k);
            if (!seen[s]) {
                seen[s] = true;
                routeKeys[s] = k;
                found++;
            }
        }
    }

    public int parallelism() {
        return parallelism;
    }

    /**
     * The key group of {@code node} (same arithmetic as {@link KeyGroupRangeAssignment}, without
     * boxing the key).
     */
    public int keyGroupOf(long node) {
        return KeyGroupRangeAssignment.computeKeyGroupForKeyHash(
                Long.hashCode(node), maxParallelism);
    }

    /** The subtask that owns {@code node}. */
    public int subtaskOf(long node) {
        return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
                maxParallelism, parallelism, keyGroupOf(node));
    }

    /** The key that routes a batch to {@code subtask}. */
    public long routeKey(int subtask) {
        return routeKeys[subtask];
    }
}
