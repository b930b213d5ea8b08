package io.walkstream.walk;

import io.walkstream.config.WalkConfig;
import io.walkstream.model.Request;
import java.util.Locale;

/**
 * Decides at the Seed step whether a request is walked or shed, so that overload costs answers
 * instead of the job: past saturation every walk that starts makes the walks behind it later, until
 * all of them miss their deadline. Two rules:
 *
 * <ul>
 *   <li><b>rate</b>: a token bucket per Seed subtask refilled at {@code walk.maxRequestsPerSecond /
 *       parallelism} per second, holding at most one second's worth (0: no limit);
 *   <li><b>queue age</b>: a request that reaches Seed later than {@code walk.maxQueueMs} (default:
 *       its deadline) after the job read it has waited in the job's buffers past helping — its
 *       caller has stopped waiting. Time spent in Kafka before the job read it (a backlog replayed
 *       after a restore) does not count: a restored job answers what it re-reads as the original
 *       run did.
 * </ul>
 *
 * The bucket lives in the subtask's memory, not in state: after a restore it starts full, which is
 * what a rate limit should do. Time is the step's processing time, so tests can drive it.
 */
final class Admission {
    private final double perMs;
    private final double capacity;
    private final long maxQueueMs;
    private final long defaultTimeoutMs;
    private double tokens;
    private long refilledAt = Long.MIN_VALUE;

    Admission(WalkConfig walk, int parallelism) {
        double perSecond = walk.maxRequestsPerSecond / Math.max(1, parallelism);
        this.perMs = perSecond / 1000.0;
        this.capacity = Math.max(1.0, perSecond);
        this.tokens = capacity;
        this.maxQueueMs = walk.maxQueueMs;
        this.defaultTimeoutMs = walk.timeoutMs;
    }

    /**
     * Null when the request may be walked now; otherwise why it is shed (also takes its token when
     * admitted).
     */
    String check(Request r, long now) {
        long queued = r.readAtMs > 0 ? now - r.readAtMs : 0;
        long limit = maxQueueMs > 0 ? maxQueueMs : r.timeoutMs > 0 ? r.timeoutMs : defaultTimeoutMs;
        if (queued > limit) {
            return "queued "
                    + queued
                    + " ms in the job before the walk could start (limit "
                    + limit
                    + " ms)";
        }
        if (perMs <= 0) {
            return null;
        }
        refill(now);
        if (tokens < 1) {
            return String.format(
                    Locale.ROOT,
                    "over the admitted rate (%.1f requests/s per Seed subtask, walk.maxRequestsPerSecond)",
                    perMs * 1000);
        }
        tokens -= 1;
        return null;
    }

    private void refill(long now) {
        if (refilledAt != Long.MIN_VALUE && now > refilledAt) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * perMs);
        }
        refilledAt = Math.max(refilledAt, now);
    }
}
