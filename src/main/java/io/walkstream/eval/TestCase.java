package io.walkstream.eval;

import java.util.List;
import java.util.Set;

/**
 * One evaluation request: a user, the time it is asked at, the held-out items that count as hits,
 * and for the sampled protocol the candidates to rank (the held-out item plus sampled negatives);
 * {@code candidates} is null for a full ranking.
 */
public record TestCase(String user, long ts, Set<String> relevant, List<String> candidates) {
    public boolean isSampled() {
        return candidates != null;
    }
}
