package io.walkstream.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the benchmark's sources and sink share with the benchmark driver. The benchmarks run the job
 * on a local mini cluster inside the driver's JVM, so sources and sinks can report through statics
 * instead of through extra job outputs that would change what is measured. {@link #reset} before
 * each run.
 */
public final class BenchLocal {
    private BenchLocal() {}

    /**
     * Events the sources have emitted (the source can only emit as fast as the job absorbs them).
     */
    public static final LongAdder eventsEmitted = new LongAdder();

    /** Requests the shop's request sources have emitted ({@link ShopRequests}). */
    public static final LongAdder requestsEmitted = new LongAdder();

    /** System.nanoTime of the first event emitted, 0 before. */
    public static final AtomicLong firstEventNanos = new AtomicLong();

    /** Wall-clock start of the request schedule (ms), 0 while it has not started. */
    public static volatile long scheduleStartMs;

    /** Set to release the events of a gated source (memory baseline first, then events). */
    public static volatile boolean eventsReleased = true;

    /** Freshness probes: probe number → wall-clock ms at which its interaction left the source. */
    public static final ConcurrentHashMap<Integer, Long> probeEmittedAt = new ConcurrentHashMap<>();

    /** Answers, recorded by {@link LatencySink}. */
    public static volatile AnswerLog answers = new AnswerLog(1, 1000);

    public static void reset(int steps, long stepMs) {
        eventsEmitted.reset();
        requestsEmitted.reset();
        firstEventNanos.set(0);
        scheduleStartMs = 0;
        eventsReleased = true;
        probeEmittedAt.clear();
        answers = new AnswerLog(steps, stepMs);
    }

    static void eventEmitted() {
        eventsEmitted.increment();
        if (firstEventNanos.get() == 0) {
            firstEventNanos.compareAndSet(0, System.nanoTime());
        }
    }
}
