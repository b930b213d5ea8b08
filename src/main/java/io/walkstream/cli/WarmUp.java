package io.walkstream.cli;

import java.util.Locale;

/**
 * When the demo's warm-up is over: after at least its minimum time, once the last {@link #WINDOW}
 * warm-up answers all came back within the target, or at the latest after its maximum time. On 2
 * cores the JIT compilers take 10–20 s to settle under the demo's load: a fixed 3 s warm-up left
 * the first measured answers at 200–400 ms, and a 100 ms target ended it at 9.5 s with the next
 * answers still at 90 ms (p50); a 50 ms target ended it at 20.8 s with them at 28 ms.
 */
final class WarmUp {
    static final int WINDOW = 50;

    private final double minSeconds;
    private final double maxSeconds;
    private final long targetMs;
    private final long[] lastMs = new long[WINDOW];
    private int answers;
    private volatile boolean settled;

    WarmUp(double minSeconds, double maxSeconds, long targetMs) {
        this.minSeconds = minSeconds;
        this.maxSeconds = Math.max(minSeconds, maxSeconds);
        this.targetMs = targetMs;
    }

    /** A warm-up answer's round trip (called by the one thread that reads answers). */
    synchronized void answered(long roundTripMs) {
        lastMs[answers++ % WINDOW] = roundTripMs;
        if (answers >= WINDOW && slowestMs() <= targetMs) {
            settled = true;
        }
    }

    /** Whether the warm-up goes on at {@code elapsedSeconds} after the start. */
    boolean goesOn(double elapsedSeconds) {
        return elapsedSeconds < minSeconds || (!settled && elapsedSeconds < maxSeconds);
    }

    /** What ended it, for the status output. */
    String outcome(double elapsedSeconds) {
        return settled
                ? String.format(
                        Locale.ROOT,
                        "warmed up in %.1f s: the last %d warm-up answers came back within %d ms",
                        elapsedSeconds,
                        WINDOW,
                        targetMs)
                : String.format(
                        Locale.ROOT,
                        "warm-up ended at its limit of %.0f s: the slowest of the last %d warm-up answers took %d ms",
                        maxSeconds,
                        WINDOW,
                        slowestMs());
    }

    private synchronized long slowestMs() {
        long max = 0;
        for (int i = 0; i < Math.min(answers, WINDOW); i++) {
            max = Math.max(max, lastMs[i]);
        }
        return max;
    }
}
