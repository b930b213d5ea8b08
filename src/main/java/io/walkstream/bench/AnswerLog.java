package io.walkstream.bench;

import io.walkstream.model.Recommendation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Answers seen by the benchmark sink: end-to-end latency per schedule step (HdrHistogram {@link
 * Recorder}s, safe to write from the sink's threads while the driver reads) of the requests served,
 * shed answers per step (counted apart: they were not served), answers per second, and for
 * freshness probes the earliest request time that saw the probe's interaction.
 */
public final class AnswerLog {
    /** Latencies up to one minute, in microseconds, 3 significant digits. */
    private static final long MAX_MICROS = 60_000_000L;

    private final long stepMs;
    private final Recorder[] latency;
    private final Histogram[] collected;
    private final LongAdder[] partial;
    private final LongAdder[] timedOut;
    private final LongAdder[] shed;
    private final LongAdder shedTotal = new LongAdder();

    /** Answers per wall-clock second (epoch seconds). */
    private final ConcurrentSkipListMap<Long, LongAdder> perSecond = new ConcurrentSkipListMap<>();

    /**
     * Probe number → earliest ingest time (ms) of a request whose answer used the probe's
     * interaction.
     */
    private final ConcurrentHashMap<Integer, Long> probeSeenAt = new ConcurrentHashMap<>();

    /** Probe number → latest ingest time (ms) of a request whose answer did not yet use it. */
    private final ConcurrentHashMap<Integer, Long> probeMissedAt = new ConcurrentHashMap<>();

    public AnswerLog(int steps, long stepMs) {
        this.stepMs = stepMs;
        latency = new Recorder[steps];
        collected = new Histogram[steps];
        partial = new LongAdder[steps];
        timedOut = new LongAdder[steps];
        shed = new LongAdder[steps];
        for (int i = 0; i < steps; i++) {
            latency[i] = new Recorder(MAX_MICROS, 3);
            collected[i] = new Histogram(MAX_MICROS, 3);
            partial[i] = new LongAdder();
            timedOut[i] = new LongAdder();
            shed[i] = new LongAdder();
        }
    }

    void record(Recommendation r, long nowMs) {
        perSecond.computeIfAbsent(nowMs / 1000, s -> new LongAdder()).increment();
        if (r.requestId.startsWith(ProbeRequests.PREFIX)) {
            recordProbe(r, nowMs);
            return;
        }
        if (r.shed) {
            shedTotal.increment();
        }
        long start = BenchLocal.scheduleStartMs;
        if (start == 0) {
            return;
        }
        int step = (int) ((ingestMs(r, nowMs) - start) / stepMs);
        if (step < 0 || step >= latency.length) {
            return;
        }
        if (r.shed) {
            // Answered at once and empty: counted apart, never as a served request's latency.
            shed[step].increment();
            return;
        }
        // The job's own figure: whole milliseconds from the request's ingest stamp to Rank's answer
        // (the sink is chained to Rank, so nothing is added after it).
        latency[step].recordValue(Math.max(1, Math.min(MAX_MICROS, r.latencyMs * 1000)));
        if (r.partial) {
            partial[step].increment();
        }
        if (r.timedOut) {
            timedOut[step].increment();
        }
    }

    /** When the request entered the job: the answer's time less the job's latency for it. */
    private static long ingestMs(Recommendation r, long nowMs) {
        return nowMs - r.latencyMs;
    }

    /** Answers to probe requests, seen or not. */
    public final LongAdder probeAnswers = new LongAdder();

    private void recordProbe(Recommendation r, long nowMs) {
        probeAnswers.increment();
        int probe = ProbeRequests.probeOf(r.requestId);
        boolean saw = r.items != null && r.items.length > 0 && r.absorbed < r.walkers;
        long at = ingestMs(r, nowMs);
        if (saw) {
            probeSeenAt.merge(probe, at, Math::min);
        } else {
            probeMissedAt.merge(probe, at, Math::max);
        }
    }

    /** Latencies of a step so far (cumulative across calls). */
    public synchronized Histogram step(int i) {
        collected[i].add(latency[i].getIntervalHistogram());
        return collected[i];
    }

    public long partial(int step) {
        return partial[step].sum();
    }

    public long timedOut(int step) {
        return timedOut[step].sum();
    }

    /** Shed answers to requests that entered the job during the step. */
    public long shed(int step) {
        return shed[step].sum();
    }

    /** Every shed answer recorded, whatever its step. */
    public long shedTotal() {
        return shedTotal.sum();
    }

    public int steps() {
        return latency.length;
    }

    /** Every answer recorded, whatever its step (probes and answers outside the schedule too). */
    public long total() {
        return perSecond.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<Long, LongAdder> perSecond() {
        return perSecond;
    }

    public Map<Integer, Long> probeSeenAt() {
        return probeSeenAt;
    }

    public Map<Integer, Long> probeMissedAt() {
        return probeMissedAt;
    }
}
