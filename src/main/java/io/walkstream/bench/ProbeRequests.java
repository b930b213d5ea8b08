package io.walkstream.bench;

import io.walkstream.model.Request;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Freshness probes' requests: for each probe interaction {@link ShopEvents} emitted at time t, asks
 * for the probe user's recommendations at t + each of {@link #OFFSETS_MS}. The first answer that
 * walked from the probe's item bounds the interaction's time to visibility from above, the last one
 * that did not bounds it from below.
 *
 * <p>The timing lives in {@link #pace()}, a rate limiter that releases the reader when the next
 * request is due; the reader never blocks, so checkpoint barriers pass (a source blocked in its
 * generator would hold every aligned checkpoint, and with it the event stream, until it emitted).
 * Run it at parallelism 1: limiter and generator walk the same (probe, offset) sequence in step.
 */
public final class ProbeRequests implements GeneratorFunction<Long, Request> {
    public static final String PREFIX = "probe-";

    /**
     * Offsets of a probe's requests; the last stays below the probe interval (the requests go out
     * in sequence).
     */
    static final long[] OFFSETS_MS = {0, 2, 5, 10, 15, 20, 30, 40, 50, 65, 80, 100, 150, 250, 400};

    private transient Sequence next;

    public static String user(int probe) {
        return "probe-u:" + probe;
    }

    static int probeOf(String requestId) {
        return Integer.parseInt(
                requestId.substring(PREFIX.length(), requestId.indexOf('-', PREFIX.length())));
    }

    @Override
    public Request map(Long index) {
        if (next == null) {
            next = new Sequence();
        }
        Request r =
                Request.forUser(
                        PREFIX + next.probe + "-" + next.offset,
                        user(next.probe),
                        10,
                        System.currentTimeMillis());
        next.advance();
        return r;
    }

    /** The pace of the probe requests: each one released when it is due. */
    public static RateLimiterStrategy<NumberSequenceSplit> pace() {
        return parallelism ->
                new RateLimiter<>() {
                    private final Sequence next = new Sequence();

                    @Override
                    public CompletionStage<Void> acquire(int permits) {
                        Long emitted = BenchLocal.probeEmittedAt.get(next.probe);
                        if (emitted == null) {
                            return after(1, permits); // the probe's click has not been emitted yet
                        }
                        long wait = emitted + OFFSETS_MS[next.offset] - System.currentTimeMillis();
                        if (wait > 0) {
                            return after(wait, permits);
                        }
                        next.advance();
                        return CompletableFuture.completedFuture(null);
                    }

                    private CompletionStage<Void> after(long ms, int permits) {
                        return Pace.retryAfter(
                                TimeUnit.MILLISECONDS.toNanos(ms), () -> acquire(permits));
                    }
                };
    }

    /** Probe 0 at each offset, then probe 1, … */
    private static final class Sequence {
        int probe;
        int offset;

        void advance() {
            if (++offset == OFFSETS_MS.length) {
                offset = 0;
                probe++;
            }
        }
    }
}
