package io.walkstream.graph;

/**
 * Exponential time decay relative to the request's timestamp, so replays weigh edges the same way.
 */
public final class Decay {
    private Decay() {}

    /**
     * 2^(-(now - ts) / halfLife); 0 for edges after {@code now} (they did not exist yet), 1 when
     * decay is off (halfLife ≤ 0).
     */
    public static double factor(long now, long ts, long halfLifeMs) {
        if (ts > now) {
            return 0;
        }
        if (halfLifeMs <= 0) {
            return 1;
        }
        return Math.exp(-(now - ts) * (Math.log(2) / halfLifeMs));
    }
}
