package io.walkstream.eval;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of one long phase of an evaluation (reading, splitting, the replay, the requests, a
 * baseline, a matrix inversion), printed to stderr as {@code eval: WHAT: DONE / TOTAL UNIT (P%),
 * ELAPSED s}: a line when the phase starts, one every {@link #INTERVAL_MS} while it runs — from a
 * timer thread, so a phase that is stuck in one long step still shows it is alive — and one when it
 * ends. A total of 0 or less means it is not known in advance (only the count is printed). Counting
 * is a single atomic increment, cheap enough for a call per event.
 */
public final class Progress {
    /** Time between two progress lines of a running phase. */
    public static final long INTERVAL_MS = 5_000;

    private static volatile PrintStream out = System.err;
    private static final Set<Progress> OPEN = ConcurrentHashMap.newKeySet();
    private static ScheduledExecutorService ticker;

    private final String what;
    private final String unit;
    private final long total;
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private volatile boolean finished;

    private Progress(String what, String unit, long total) {
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.startNanos = System.nanoTime();
    }

    /** Starts a phase and prints its first line. */
    public static Progress start(String what, String unit, long total) {
        Progress p = new Progress(what, unit, total);
        p.print("started");
        OPEN.add(p);
        ensureTicker();
        return p;
    }

    private static synchronized void ensureTicker() {
        if (ticker != null) {
            return;
        }
        ticker =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "eval-progress");
                            t.setDaemon(true);
                            return t;
                        });
        ticker.scheduleAtFixedRate(
                () -> {
                    for (Progress p : OPEN) {
                        if (p.elapsedMs() >= INTERVAL_MS / 2) {
                            p.print(null);
                        }
                    }
                },
                INTERVAL_MS,
                INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    /** Where progress lines go (stderr unless a test redirects them). */
    static void printTo(PrintStream stream) {
        out = stream;
    }

    public void step() {
        done.incrementAndGet();
    }

    public void add(long n) {
        done.addAndGet(n);
    }

    /** Sets the count done so far (for phases counted elsewhere). */
    public void set(long n) {
        done.set(n);
    }

    public long done() {
        return done.get();
    }

    /** Prints the closing line (once); returns the phase's duration in milliseconds. */
    public long finish() {
        return finish(null);
    }

    /** Finishes with a note in the closing line, e.g. what the phase produced. */
    public synchronized long finish(String note) {
        long ms = elapsedMs();
        if (!finished) {
            finished = true;
            OPEN.remove(this);
            print(note == null ? "done" : "done, " + note);
        }
        return ms;
    }

    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void print(String state) {
        long n = done.get();
        String count =
                total > 0
                        ? String.format(
                                Locale.ROOT,
                                "%,d / %,d %s (%.0f%%)",
                                n,
                                total,
                                unit,
                                100.0 * n / total)
                        : String.format(Locale.ROOT, "%,d %s", n, unit);
        PrintStream o = out;
        o.printf(
                Locale.ROOT,
                "eval: %s: %s, %.1f s%s%n",
                what,
                count,
                elapsedMs() / 1000.0,
                state == null ? "" : " — " + state);
        o.flush();
    }
}
