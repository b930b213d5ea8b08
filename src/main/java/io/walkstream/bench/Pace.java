package io.walkstream.bench;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;

/**
 * The pace of a benchmark source: a number of records as fast as the job takes them (a preload),
 * then a rate schedule of fixed-length steps, optionally waiting for the driver to start the
 * schedule ({@link BenchLocal#scheduleStartMs}); after the last step the source goes quiet.
 * Non-blocking (the reader is parked on a future, as Flink's own rate limiters do), and lenient by
 * at most a millisecond's worth of records so that high rates do not pay for one timer per record.
 *
 * <p>A source that falls behind its schedule (its thread was late, or the job held it back) catches
 * up at once, as clients keep sending whatever the job does; only a stall of more than {@value
 * #MAX_LAG_NANOS} ns is forgiven rather than sent as one burst. (Forgiving every lateness past the
 * millisecond slack offered 8% fewer requests than scheduled at 50/s on a busy 2-core host.)
 */
public final class Pace implements RateLimiterStrategy<NumberSequenceSplit> {
    private static final long SLACK_NANOS = 1_000_000;
    static final long MAX_LAG_NANOS = 500_000_000;

    /** {@link System#nanoTime}, or a test's clock. */
    interface Clock extends Serializable {
        long nanos();
    }

    private final long preload;
    private final double[] rates;
    private final long stepMs;
    private final boolean waitForSchedule;
    private final Clock clock;

    private Pace(long preload, double[] rates, long stepMs, boolean waitForSchedule, Clock clock) {
        this.preload = preload;
        this.rates = rates;
        this.stepMs = stepMs;
        this.waitForSchedule = waitForSchedule;
        this.clock = clock;
    }

    /** {@code preload} records at full speed, then {@code perSecond} for ever. */
    public static Pace preloadThen(long preload, double perSecond) {
        return preloadThen(preload, perSecond, System::nanoTime);
    }

    static Pace preloadThen(long preload, double perSecond, Clock clock) {
        return new Pace(preload, new double[] {perSecond}, Long.MAX_VALUE, false, clock);
    }

    /**
     * Once the driver starts the schedule: {@code rates[i]} per second during step i, then nothing.
     */
    public static Pace steps(double[] rates, long stepMs) {
        return new Pace(0, rates.clone(), stepMs, true, System::nanoTime);
    }

    /**
     * Asks {@code again} after {@code nanos} without blocking the reader (it waits on the returned
     * future).
     */
    static CompletionStage<Void> retryAfter(long nanos, Supplier<CompletionStage<Void>> again) {
        return CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS))
                .thenCompose(v -> again.get());
    }

    @Override
    public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
        return new Limiter(parallelism);
    }

    private final class Limiter implements RateLimiter<NumberSequenceSplit> {
        private final int parallelism;
        private long free;
        private long nextNanos;

        Limiter(int parallelism) {
            this.parallelism = parallelism;
            this.free = preload / parallelism;
        }

        @Override
        public CompletionStage<Void> acquire(int permits) {
            if (free >= permits) {
                free -= permits;
                return CompletableFuture.completedFuture(null);
            }
            long start = waitForSchedule ? BenchLocal.scheduleStartMs : 0;
            if (waitForSchedule && start == 0) {
                return later(10_000_000L, permits);
            }
            long step = waitForSchedule ? (System.currentTimeMillis() - start) / stepMs : 0;
            if (step >= rates.length) {
                return later(100_000_000L, permits);
            }
            double rate = rates[(int) step] / parallelism;
            if (rate <= 0) {
                return later(10_000_000L, permits);
            }
            long now = clock.nanos();
            if (nextNanos < now - MAX_LAG_NANOS) {
                nextNanos = now; // a stall (or the schedule's start) is not banked as a burst
            }
            nextNanos += (long) (permits * 1e9 / rate);
            long ahead = nextNanos - now;
            return ahead <= SLACK_NANOS
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(
                            () -> {},
                            CompletableFuture.delayedExecutor(ahead, TimeUnit.NANOSECONDS));
        }

        private CompletionStage<Void> later(long nanos, int permits) {
            return retryAfter(nanos, () -> acquire(permits));
        }
    }
}
