package io.walkstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Soak: the real job for a long while (default 30 minutes) at a steady ingest rate and a steady
 * request rate below saturation, with checkpoints on, sampled every {@code soakSampleMs}: events
 * applied, requests answered and their latency, the state's size (the full size of the latest
 * completed checkpoint, from the mini cluster's REST API), checkpoint durations, the old generation
 * after GC ({@link GcWatch}), restarts. The state TTL is short (minutes, set by the command), so
 * nodes expire within the run and the state should level off once the shop's active population is
 * all in it; the verdict checks that from the figures ({@link #verdict}).
 */
public final class SoakBenchmark {
    private static final String[] STEPS = {"seed", "item", "context"};

    /**
     * Old-generation collection phases the last half must hold for its heap figure to be judged.
     */
    static final int MIN_OLD_PHASES = 3;

    /**
     * Live-heap readings (after a full collection) the last half must hold for the heap to be
     * judged on them.
     */
    static final int MIN_LIVE_READINGS = 3;

    /**
     * The longest run of old-generation collections counted as one phase (see {@link #verdict}).
     */
    static final double PHASE_SECONDS = 60;

    /**
     * One sampling interval: counts over the interval, levels at its end. JSON field names as here.
     */
    public static final class Sample {
        /** End of the interval, seconds since the first event. */
        public double seconds;

        /**
         * Events the job has applied, cumulative (the Item step's updates, which every interaction
         * and item record reaches once, less the transition edges Seed sent it); and per second
         * over the interval.
         */
        public long eventsApplied;

        public double eventsPerSecond;

        /**
         * Events the sources have emitted that the job had not applied yet, at the end of the
         * interval.
         */
        public long eventsBehind;

        /** Requests the source has sent, cumulative. */
        public long requestsSent;

        /**
         * Requests that entered the job during the interval and were answered (by the end of the
         * run); per second.
         */
        public long answered;

        public double answeredPerSecond;

        /** Their latency (request entering the job → Rank's answer), ms; NaN without answers. */
        public double p50Ms;

        public double p99Ms;
        public double maxMs;
        public long partial;
        public long timedOut;

        /**
         * Full state size of the latest completed checkpoint, bytes (-1: none yet); what that
         * checkpoint wrote.
         */
        public long stateBytes;

        public long checkpointedBytes;

        /** Checkpoints completed during the interval and the longest of them, ms (-1: none). */
        public int checkpointsCompleted;

        public long checkpointMs;

        /** Failed checkpoints, cumulative. */
        public long checkpointsFailed;

        /**
         * Old generation in use after its last collection, bytes (-1: none yet); such collections
         * in the interval.
         */
        public long heapAfterGcBytes;

        public int oldCollections;

        /**
         * Lowest heap in use after any collection in the interval, bytes (-1: none); time spent
         * collecting, ms.
         */
        public long heapFloorBytes;

        public long gcMs;

        /**
         * Heap in use right after a full collection the benchmark asked for at the end of this
         * interval (System.gc(): the live set), bytes; -1: none this interval. Its pause lands in
         * the next interval.
         */
        public long liveHeapBytes = -1;

        /** Cores the process kept busy over the interval (CPU time ÷ wall time). */
        public double coresBusy;

        /**
         * Ring entries written without overwriting an older one, all steps, cumulative (the steps'
         * {@code *.edgesStored}): it counts again after a node expires and comes back, so it shows
         * the rings filling, not the live state.
         */
        public long edgesStored;

        /** The job's restarts so far. */
        public long restarts;
    }

    /** The verdict, each part computed from the samples and stated with its limit. */
    public record Verdict(
            double middleThirdStateMiB,
            double lastThirdStateMiB,
            double stateGrowthPctPerHour,
            double middleThirdBytesPerRecentEvent,
            double lastThirdBytesPerRecentEvent,
            double perRecentEventGrowthPctPerHour,
            double stateGrowthLimitPctPerHour,
            boolean stateBounded,
            double heapSlopeMiBPerHour,
            double heapSlopeLimitMiBPerHour,
            int oldCollectionsLastHalf,
            int oldCollectionPhasesLastHalf,
            double liveHeapSlopeMiBPerHour,
            int liveHeapReadingsLastHalf,
            double liveHeapFirstMiB,
            double liveHeapLastMiB,
            String heapJudgedOn,
            boolean heapFlat,
            long requestsSent,
            long requestsAnswered,
            long unanswered,
            boolean allAnswered,
            long restarts,
            String jobStatusAtEnd,
            boolean noRestarts,
            boolean pass,
            List<String> reasons) {}

    public record Result(
            double minutes,
            double sampleSeconds,
            double ingestPerSecond,
            double requestsPerSecond,
            int walkers,
            long stateTtlMs,
            String backend,
            long checkpointIntervalMs,
            String shop,
            String oldGenPool,
            List<Sample> samples,
            long timedOut,
            long partial,
            double p50Ms,
            double p99Ms,
            double maxMs,
            long checkpointsCompleted,
            long checkpointsFailed,
            Verdict verdict) {}

    private SoakBenchmark() {}

    public static Result run(BenchSettings s, Consumer<String> progress) throws Exception {
        long total = s.soakMs, every = s.soakSampleMs;
        int intervals = (int) Math.ceil(total / (double) every);
        // One latency bucket per interval by the time the request entered the job, one more for
        // stragglers.
        BenchLocal.reset(intervals + 1, every);
        int port = FlinkRest.freePort();
        StreamExecutionEnvironment env = LocalJob.env(s, port);
        LocalJob.shopWithAnswers(
                env,
                s,
                Pace.preloadThen(0, s.soakIngestRate),
                Pace.steps(new double[] {s.soakRequestRate}, total));
        Sampling run;
        try (GcWatch gc = new GcWatch()) {
            JobClient client = env.executeAsync("walkstream bench: soak");
            run = new Sampling(client, new FlinkRest(port), gc, progress, s.soakFullGcMs);
            try {
                run.awaitFirstEvent();
                for (int i = 1; i <= intervals; i++) {
                    if (!run.sampleAt(Math.min(total, i * every), total)) {
                        break; // the job stopped: the verdict says so
                    }
                }
                run.drain(Math.max(10_000, 3 * s.config.walk.timeoutMs));
            } finally {
                LocalJob.cancel(client);
            }
        }
        Histogram all = latencies(run.samples);
        long timedOut = 0, partial = 0;
        for (int i = 0; i < BenchLocal.answers.steps(); i++) {
            timedOut += BenchLocal.answers.timedOut(i);
            partial += BenchLocal.answers.partial(i);
        }
        long sent = BenchLocal.requestsEmitted.sum(), answered = BenchLocal.answers.total();
        Verdict v =
                verdict(
                        run.samples,
                        total / 1000.0,
                        s.config.graph.stateTtlMs / 1000.0,
                        sent,
                        answered,
                        run.restarts,
                        run.endStatus,
                        s.soakMaxStateGrowthPctPerHour,
                        s.soakMaxHeapSlopeMiBPerHour);
        return new Result(
                total / 60_000.0,
                every / 1000.0,
                s.soakIngestRate,
                s.soakRequestRate,
                s.walkers,
                s.config.graph.stateTtlMs,
                s.config.job.stateBackend.name(),
                s.config.job.checkpointIntervalMs,
                s.shop.toString(),
                run.oldGenPool,
                run.samples,
                timedOut,
                partial,
                RequestBenchmark.ms(all, 50),
                RequestBenchmark.ms(all, 99),
                all.getTotalCount() == 0 ? Double.NaN : all.getMaxValue() / 1000.0,
                run.checkpointsCompleted,
                run.checkpointsFailed,
                v);
    }

    /**
     * Each interval's answers (by the time their request entered the job): counts and latency; and
     * all of them together.
     */
    private static Histogram latencies(List<Sample> samples) {
        Histogram all = new Histogram(60_000_000L, 3);
        for (int i = 0; i < samples.size(); i++) {
            Sample x = samples.get(i);
            Histogram h = BenchLocal.answers.step(i);
            double dt = x.seconds - (i == 0 ? 0 : samples.get(i - 1).seconds);
            x.answered = h.getTotalCount();
            x.answeredPerSecond = x.answered / dt;
            x.p50Ms = RequestBenchmark.ms(h, 50);
            x.p99Ms = RequestBenchmark.ms(h, 99);
            x.maxMs = h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
            x.partial = BenchLocal.answers.partial(i);
            x.timedOut = BenchLocal.answers.timedOut(i);
            all.add(h);
        }
        return all;
    }

    /**
     * The running soak job, sampled at the end of each interval: counters, checkpoints,
     * collections, CPU.
     */
    private static final class Sampling {
        final JobClient client;
        final String jobId;
        final FlinkRest rest;
        final GcWatch gc;
        final Consumer<String> progress;
        final String oldGenPool;
        final List<Sample> samples = new ArrayList<>();
        long start;
        long restarts;
        long checkpointsCompleted;
        long checkpointsFailed;
        String endStatus;
        private long cpuBefore;
        private long appliedBefore;
        private long lastCheckpoint;
        private double secondsBefore;
        private Sample last;

        private final long fullGcEveryMs;
        private long lastFullGcMs;

        Sampling(
                JobClient client,
                FlinkRest rest,
                GcWatch gc,
                Consumer<String> progress,
                long fullGcEveryMs) {
            this.fullGcEveryMs = fullGcEveryMs;
            this.client = client;
            this.jobId = client.getJobID().toHexString();
            this.rest = rest;
            this.gc = gc;
            this.progress = progress;
            this.oldGenPool = gc.oldGenerationName();
        }

        /** t = 0 when the first event leaves the source; the requests start then too. */
        void awaitFirstEvent() throws Exception {
            while (BenchLocal.firstEventNanos.get() == 0) {
                if (!LocalJob.running(client)) {
                    throw new IllegalStateException(
                            "the job stopped: " + client.getJobStatus().get());
                }
                Thread.sleep(50);
            }
            start = System.currentTimeMillis();
            BenchLocal.scheduleStartMs = start;
            gc.interval();
            cpuBefore = IngestBenchmark.processCpuNanos();
        }

        /**
         * Waits until {@code atMs} into the run and takes a sample; false when the job has stopped.
         */
        boolean sampleAt(long atMs, long totalMs) throws Exception {
            long due = start + atMs;
            for (long now; (now = System.currentTimeMillis()) < due; ) {
                Thread.sleep(Math.min(500, due - now));
            }
            if (!LocalJob.running(client)) {
                return false;
            }
            Sample x = new Sample();
            x.seconds = (System.currentTimeMillis() - start) / 1000.0;
            double dt = x.seconds - secondsBefore;
            readCounters(x, dt);
            readCheckpoints(x);
            readCollections(x);
            readLiveHeap(x, atMs);
            long cpu = IngestBenchmark.processCpuNanos();
            x.coresBusy = (cpu - cpuBefore) / 1e9 / dt;
            cpuBefore = cpu;
            appliedBefore = x.eventsApplied;
            secondsBefore = x.seconds;
            samples.add(x);
            last = x;
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "soak: %s of %s, %,.0f events/s, %,d requests answered, state %s MiB, old gen after GC %s MiB, checkpoint %s ms",
                            clock(x.seconds),
                            clock(totalMs / 1000.0),
                            x.eventsPerSecond,
                            BenchLocal.answers.total(),
                            mib(x.stateBytes),
                            mib(x.heapAfterGcBytes),
                            x.checkpointMs < 0 ? "–" : Long.toString(x.checkpointMs)));
            return true;
        }

        private void readCounters(Sample x, double dt) throws Exception {
            Map<String, Object> acc = client.getAccumulators().get(30, TimeUnit.SECONDS);
            // Item counts the transition edges Seed sends it too (up to graph.transitionWindow per
            // interaction).
            x.eventsApplied = IngestBenchmark.applied(acc);
            x.eventsPerSecond = (x.eventsApplied - appliedBefore) / dt;
            x.eventsBehind = Math.max(0, BenchLocal.eventsEmitted.sum() - x.eventsApplied);
            for (String step : STEPS) {
                x.edgesStored += value(acc, "walkstream." + step + ".edgesStored");
            }
            x.requestsSent = BenchLocal.requestsEmitted.sum();
        }

        /**
         * The state's size from the latest completed checkpoint; the interval's checkpoints and the
         * job's restarts.
         */
        private void readCheckpoints(Sample x) throws InterruptedException {
            x.stateBytes = last == null ? -1 : last.stateBytes;
            x.checkpointedBytes = last == null ? -1 : last.checkpointedBytes;
            x.checkpointMs = -1;
            x.checkpointsFailed = last == null ? 0 : last.checkpointsFailed;
            try {
                FlinkRest.Checkpoints c = rest.checkpoints(jobId, lastCheckpoint);
                for (FlinkRest.Checkpoint done : c.newlyCompleted()) {
                    x.checkpointsCompleted++;
                    x.checkpointMs = Math.max(x.checkpointMs, done.durationMs());
                    lastCheckpoint = done.id();
                }
                if (c.latest() != null) {
                    x.stateBytes = c.latest().stateBytes();
                    x.checkpointedBytes = c.latest().checkpointedBytes();
                    lastCheckpoint = Math.max(lastCheckpoint, c.latest().id());
                }
                x.checkpointsFailed = c.failed();
                checkpointsCompleted = c.completed();
                checkpointsFailed = c.failed();
                restarts = rest.restarts(jobId);
            } catch (IOException e) {
                progress.accept(
                        "soak: the REST API did not answer (" + e.getMessage() + "); sampling on");
            }
            x.restarts = restarts;
        }

        private void readCollections(Sample x) {
            GcWatch.Interval g = gc.interval();
            x.heapAfterGcBytes = gc.oldGenAfterGc();
            x.oldCollections = g.oldCollections();
            x.heapFloorBytes = g.heapFloorBytes();
            x.gcMs = g.gcMillis();
        }

        /**
         * The live set: heap in use right after a full collection, asked for every {@code
         * fullGcEveryMs} (its pause, a fraction of a second on a heap of 1 GB, shows in the next
         * interval's latencies).
         */
        private void readLiveHeap(Sample x, long atMs) {
            if (fullGcEveryMs <= 0 || atMs - lastFullGcMs < fullGcEveryMs) {
                return;
            }
            lastFullGcMs = atMs;
            System.gc();
            x.liveHeapBytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        /**
         * The requests stopped with the run; every one is answered by its deadline (or shed at
         * once).
         */
        void drain(long forMs) throws Exception {
            long drainUntil = System.currentTimeMillis() + forMs;
            while (BenchLocal.answers.total() < BenchLocal.requestsEmitted.sum()
                    && System.currentTimeMillis() < drainUntil
                    && LocalJob.running(client)) {
                Thread.sleep(200);
            }
            endStatus = client.getJobStatus().get(10, TimeUnit.SECONDS).name();
            try {
                restarts = rest.restarts(jobId);
            } catch (IOException e) {
                // keep the last figure read
            }
        }
    }

    /**
     * The verdict from the samples of a run of {@code seconds}:
     *
     * <ul>
     *   <li><b>state bounded</b>: state per recent event — the checkpointed state divided by the
     *       events applied in the state TTL before it (what the TTL keeps alive) — is above the
     *       middle third's mean over the last third by less than {@code maxGrowthPctPerHour} per
     *       hour (the thirds' midpoints are a third of the run apart). Dividing by the recent
     *       events keeps the machine's load out of the verdict: where the ingest rate follows the
     *       load, the state follows the ingest rate (the plain state size of the thirds is reported
     *       too, and judged instead when there is no TTL or no event count);
     *   <li><b>heap flat</b>: the least-squares slope of the live set (heap in use right after the
     *       full collections the benchmark asks for) over the last half is below {@code
     *       maxHeapSlopeMiBPerHour}, given at least {@value #MIN_LIVE_READINGS} such readings in
     *       it. Without them, the same limit on the old generation after G1's own collections,
     *       given that old-generation collections refreshed that figure in at least {@value
     *       #MIN_OLD_PHASES} separate phases in the last half (runs of consecutive intervals with
     *       such collections: G1's mixed collections after one concurrent cycle are one
     *       measurement; a run longer than {@value #PHASE_SECONDS} s counts once per started
     *       minute); otherwise the figure is too stale to show anything;
     *   <li><b>all answered</b>: every request sent was answered (answers at the deadline and shed
     *       answers count: the caller heard back);
     *   <li><b>no restarts</b>: the job never restarted and was still running at the end.
     * </ul>
     */
    public static Verdict verdict(
            List<Sample> samples,
            double seconds,
            double ttlSeconds,
            long sent,
            long answered,
            long restarts,
            String endStatus,
            double maxGrowthPctPerHour,
            double maxHeapSlopeMiBPerHour) {
        List<String> reasons = new ArrayList<>();
        StateJudgement state =
                judgeState(samples, seconds, ttlSeconds, maxGrowthPctPerHour, reasons);
        HeapJudgement heap = judgeHeap(samples, seconds, maxHeapSlopeMiBPerHour, reasons);
        long unanswered = sent - answered;
        boolean allAnswered = sent > 0 && unanswered <= 0;
        if (!allAnswered) {
            reasons.add(
                    sent == 0
                            ? "requests: none sent"
                            : unanswered + " of " + sent + " requests unanswered");
        }
        boolean noRestarts = restarts == 0 && "RUNNING".equals(endStatus);
        if (!noRestarts) {
            reasons.add("job: " + restarts + " restarts, " + endStatus + " at the end");
        }
        boolean pass = state.bounded() && heap.flat() && allAnswered && noRestarts;
        return new Verdict(
                state.middle() < 0 ? Double.NaN : round(state.middle() / 1048576.0),
                state.lastThird() < 0 ? Double.NaN : round(state.lastThird() / 1048576.0),
                round(state.growth()),
                round(state.middlePerEvent()),
                round(state.lastPerEvent()),
                round(state.perEventGrowth()),
                maxGrowthPctPerHour,
                state.bounded(),
                round(heap.slope()),
                maxHeapSlopeMiBPerHour,
                heap.oldCollections(),
                heap.phases(),
                round(heap.liveSlope()),
                heap.live().size(),
                heap.live().isEmpty() ? Double.NaN : round(heap.live().get(0)[1]),
                heap.live().isEmpty()
                        ? Double.NaN
                        : round(heap.live().get(heap.live().size() - 1)[1]),
                heap.onLive()
                        ? "live set after full collections"
                        : "old generation after G1's collections",
                heap.flat(),
                sent,
                answered,
                Math.max(0, unanswered),
                allAnswered,
                restarts,
                endStatus,
                noRestarts,
                pass,
                reasons);
    }

    /**
     * The state's thirds, plain and per event of the last TTL (bytes), their growth, and whether it
     * is bounded.
     */
    private record StateJudgement(
            double middle,
            double lastThird,
            double growth,
            double middlePerEvent,
            double lastPerEvent,
            double perEventGrowth,
            boolean bounded) {}

    private static StateJudgement judgeState(
            List<Sample> samples,
            double seconds,
            double ttlSeconds,
            double maxGrowthPctPerHour,
            List<String> reasons) {
        double middle = meanState(samples, seconds / 3, 2 * seconds / 3);
        double lastThird = meanState(samples, 2 * seconds / 3, seconds);
        double growth = growthPctPerHour(middle, lastThird, seconds);
        List<double[]> perEvent = statePerRecentEvent(samples, ttlSeconds);
        double middlePerEvent = mean(perEvent, seconds / 3, 2 * seconds / 3);
        double lastPerEvent = mean(perEvent, 2 * seconds / 3, seconds);
        double perEventGrowth = growthPctPerHour(middlePerEvent, lastPerEvent, seconds);
        boolean normalised = Double.isFinite(perEventGrowth);
        double judged = normalised ? perEventGrowth : growth;
        boolean bounded = judged < maxGrowthPctPerHour;
        if (!Double.isFinite(judged)) {
            reasons.add("state: no checkpoint sizes in the middle or last third of the run");
        } else if (!bounded) {
            reasons.add(
                    String.format(
                            Locale.ROOT,
                            "state%s: grew %.1f%%/h from the middle to the last third (limit %.0f%%/h)",
                            normalised ? " per event of the last TTL" : "",
                            judged,
                            maxGrowthPctPerHour));
        }
        return new StateJudgement(
                middle, lastThird, growth, middlePerEvent, lastPerEvent, perEventGrowth, bounded);
    }

    /**
     * The heap over the last half: G1's old generation after its own collections (slope,
     * collections, phases) and the live set after the benchmark's full collections (readings,
     * slope); which one was judged, and whether it is flat.
     */
    private record HeapJudgement(
            double slope,
            int oldCollections,
            int phases,
            List<double[]> live,
            double liveSlope,
            boolean onLive,
            boolean flat) {}

    private static HeapJudgement judgeHeap(
            List<Sample> samples, double seconds, double maxSlope, List<String> reasons) {
        List<double[]> heap = new ArrayList<>();
        List<double[]> live = new ArrayList<>();
        int oldCollections = 0;
        int phases = 0;
        boolean inPhase = false;
        double phaseStart = 0;
        for (Sample x : samples) {
            if (x.seconds <= seconds / 2) {
                continue;
            }
            oldCollections += x.oldCollections;
            // G1 collects the old generation in phases of several mixed collections after each
            // concurrent cycle (tens of seconds); the collections of one phase are one measurement,
            // not several. On a heap short of room the cycles follow each other without a gap: a
            // run of collections then counts once per started minute, as a fresh measurement
            // arrives at least that often.
            if (x.oldCollections > 0 && (!inPhase || x.seconds - phaseStart >= PHASE_SECONDS)) {
                phases++;
                phaseStart = x.seconds;
            }
            inPhase = x.oldCollections > 0;
            if (x.heapAfterGcBytes >= 0) {
                heap.add(new double[] {x.seconds / 3600, x.heapAfterGcBytes / 1048576.0});
            }
            if (x.liveHeapBytes >= 0) {
                live.add(new double[] {x.seconds / 3600, x.liveHeapBytes / 1048576.0});
            }
        }
        double slope = slope(heap);
        double liveSlope = slope(live);
        boolean onLive = live.size() >= MIN_LIVE_READINGS;
        boolean flat = onLive ? liveSlope < maxSlope : phases >= MIN_OLD_PHASES && slope < maxSlope;
        if (onLive && !flat) {
            reasons.add(
                    String.format(
                            Locale.ROOT,
                            "heap: live set after full collections rose %.0f MiB/h over the last half (limit %.0f MiB/h)",
                            liveSlope,
                            maxSlope));
        } else if (!onLive && phases < MIN_OLD_PHASES) {
            reasons.add(
                    "heap: "
                            + phases
                            + " old-generation collection phases in the last half ("
                            + oldCollections
                            + " collections): too few to judge the heap after GC ("
                            + MIN_OLD_PHASES
                            + " needed)");
        } else if (!flat) {
            reasons.add(
                    String.format(
                            Locale.ROOT,
                            "heap: old generation after GC rose %.0f MiB/h over the last half (limit %.0f MiB/h)",
                            slope,
                            maxSlope));
        }
        return new HeapJudgement(slope, oldCollections, phases, live, liveSlope, onLive, flat);
    }

    /**
     * The growth from {@code middle} to {@code last}, per hour of a run of {@code seconds} (thirds'
     * midpoints apart); NaN when unknown.
     */
    private static double growthPctPerHour(double middle, double last, double seconds) {
        return middle > 0 && last >= 0
                ? (last / middle - 1) * 100 / (seconds / 3 / 3600)
                : Double.NaN;
    }

    /**
     * (seconds, checkpointed state bytes ÷ events applied in the TTL before) for the samples at
     * least a TTL into the run with a state size and recent events; empty without a TTL.
     */
    static List<double[]> statePerRecentEvent(List<Sample> samples, double ttlSeconds) {
        List<double[]> out = new ArrayList<>();
        if (!(ttlSeconds > 0)) {
            return out;
        }
        int from = -1; // the last sample at or before x.seconds - ttl
        for (Sample x : samples) {
            while (from + 1 < samples.size()
                    && samples.get(from + 1).seconds <= x.seconds - ttlSeconds + 1e-9) {
                from++;
            }
            if (from < 0 || x.stateBytes < 0) {
                continue;
            }
            long recent = x.eventsApplied - samples.get(from).eventsApplied;
            if (recent > 0) {
                out.add(new double[] {x.seconds, x.stateBytes / (double) recent});
            }
        }
        return out;
    }

    /** Mean of the points' values with time in (from, to]; NaN without any. */
    private static double mean(List<double[]> points, double from, double to) {
        double sum = 0;
        int n = 0;
        for (double[] p : points) {
            if (p[0] > from && p[0] <= to + 1e-9) {
                sum += p[1];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Mean checkpointed state size (bytes) of the samples in (from, to]; -1 without any. */
    private static double meanState(List<Sample> samples, double from, double to) {
        double sum = 0;
        int n = 0;
        for (Sample x : samples) {
            if (x.seconds > from && x.seconds <= to + 1e-9 && x.stateBytes >= 0) {
                sum += x.stateBytes;
                n++;
            }
        }
        return n == 0 ? -1 : sum / n;
    }

    /** Least-squares slope of y on x; NaN with fewer than two distinct x. */
    static double slope(List<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0, my = 0;
        for (double[] p : points) {
            mx += p[0];
            my += p[1];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    private static long value(Map<String, Object> acc, String name) {
        return acc.get(name) instanceof Number n ? n.longValue() : 0;
    }

    static String mib(long bytes) {
        return bytes < 0 ? "–" : String.format(Locale.ROOT, "%,.1f", bytes / 1048576.0);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static double round(double x) {
        return Double.isFinite(x) ? Math.round(x * 100) / 100.0 : x;
    }
}
