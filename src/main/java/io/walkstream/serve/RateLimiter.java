package io.walkstream.serve;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: each holds up to {@code burst} tokens, refilled at {@code perSecond};
 * a call takes one or is refused with the time until one is there.
 *
 * <p>Memory is bounded: buckets live in an access-ordered map of at most {@code maxClients}. A
 * bucket that has refilled completely is the same as a new one, so idle clients are dropped at no
 * cost to accuracy (checked from the least recently seen end at every call, so the sweep is
 * amortised O(1)). Only when more than {@code maxClients} clients are active at once is the least
 * recently seen bucket dropped early; that client then starts over with a full bucket — lenient,
 * but memory stays bounded whatever the number of callers. One lock guards the map: a bucket update
 * is a few arithmetic operations, far cheaper than the call it admits.
 */
final class RateLimiter {
    /** Admitted, or refused with the nanoseconds until the client's next token. */
    record Decision(boolean admitted, long retryAfterNanos) {
        static final Decision ADMITTED = new Decision(true, 0);

        long retryAfterSeconds() {
            return wholeSeconds(retryAfterNanos);
        }
    }

    /**
     * Nanoseconds as whole seconds, rounded up and at least 1: what {@code Retry-After} can say.
     */
    static long wholeSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    private final double perSecond;
    private final int burst;
    private final long refillNanos;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets;

    RateLimiter(GatewaySecurity.RateLimit limit, LongSupplier nanoClock) {
        if (!limit.enabled()) {
            throw new IllegalArgumentException("rate limit is off");
        }
        this.perSecond = limit.perSecond();
        this.burst = limit.burst();
        this.refillNanos = (long) Math.ceil(burst * 1e9 / perSecond);
        this.clock = nanoClock;
        int max = limit.maxClients();
        this.buckets =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                        return size() > max;
                    }
                };
    }

    synchronized Decision acquire(String client) {
        long now = clock.getAsLong();
        dropIdle(now);
        Bucket b = buckets.get(client);
        if (b == null) {
            buckets.put(client, new Bucket(burst - 1, now));
            return Decision.ADMITTED;
        }
        b.tokens = Math.min(burst, b.tokens + (now - b.updatedNanos) * perSecond / 1e9);
        b.updatedNanos = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return Decision.ADMITTED;
        }
        return new Decision(false, (long) Math.ceil((1 - b.tokens) * 1e9 / perSecond));
    }

    /** Removes, from the least recently seen end, buckets that have had time to fill up again. */
    private void dropIdle(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (now - it.next().updatedNanos < refillNanos) {
                return;
            }
            it.remove();
        }
    }

    synchronized int clients() {
        return buckets.size();
    }
}
