package io.walkstream.bench;

import io.walkstream.WalkstreamJob;
import io.walkstream.model.Request;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Freshness: how soon an interaction is visible to walks. After the preload, while ingest goes on
 * at the fixed rate and shop requests arrive at a modest rate, a probe every {@code probeEveryMs}:
 * a brand-new user clicks a popular item, and that user's recommendations are asked at growing
 * offsets after the click left the source. The probe's freshness is the time from the click to the
 * first request that walked from it (an upper bound: the previous request, which did not, bounds it
 * from below; the gap is the resolution, reported too).
 */
public final class FreshnessBenchmark {
    public record Result(
            int probes,
            int seen,
            long probeAnswers,
            double p50Ms,
            double p90Ms,
            double p99Ms,
            double maxMs,
            double meanResolutionMs,
            Histogram histogram,
            double p50AllMs,
            double p99AllMs) {

        /**
         * A probe not seen by its last request, sent this long after the click, is later: a
         * percentile over all probes ({@link #p50AllMs}, {@link #p99AllMs}) that falls on such
         * probes is infinite, not a measured time.
         */
        public static final long UNSEEN_AFTER_MS =
                ProbeRequests.OFFSETS_MS[ProbeRequests.OFFSETS_MS.length - 1];
    }

    /** Where the unseen probes count among all (µs): past any time a seen probe can have. */
    private static final long UNSEEN_MARK_US = 59_000_000;

    private FreshnessBenchmark() {}

    public static Result run(BenchSettings s, double backgroundRequests, Consumer<String> progress)
            throws Exception {
        BenchLocal.reset(1, s.freshnessMs);
        StreamExecutionEnvironment env = LocalJob.env(s);
        var events =
                LocalJob.events(
                        env,
                        new ShopEvents(s.shop, s.seed, s.probeEveryMs, false),
                        Long.MAX_VALUE,
                        Pace.preloadThen(s.preload, s.ingestRate));
        // One reader: the probe pace and the probe generator walk the same sequence in step.
        var probes =
                LocalJob.source(
                                env,
                                "bench-probes",
                                new ProbeRequests(),
                                Long.MAX_VALUE,
                                ProbeRequests.pace(),
                                Request.class)
                        .setParallelism(1);
        var shop =
                LocalJob.requests(
                        env,
                        s.config,
                        new ShopRequests(s.shop, s.seed + 1, 10, s.walkers),
                        Long.MAX_VALUE,
                        Pace.steps(new double[] {backgroundRequests}, s.freshnessMs));
        WalkstreamJob.build(s.config, events, probes.union(shop))
                .sinkTo(new LatencySink())
                .name("bench-answers");
        JobClient client = env.executeAsync("walkstream bench: freshness");
        long start;
        try {
            Preload.await(client, s.preload, progress);
            start = System.currentTimeMillis();
            BenchLocal.scheduleStartMs = start;
            while (System.currentTimeMillis() < start + s.freshnessMs) {
                Thread.sleep(1000);
                progress.accept(
                        "freshness: " + BenchLocal.answers.probeSeenAt().size() + " probes seen");
            }
            Thread.sleep(1500); // the last probes' later requests
        } finally {
            LocalJob.cancel(client);
        }
        return result(start, s.freshnessMs);
    }

    /**
     * The probes whose every request was asked within the {@code windowMs} from {@code start}: when
     * each was first seen, over the seen ones and over all (an unseen one counted as later).
     */
    private static Result result(long start, long windowMs) {
        Histogram h = new Histogram(60_000_000L, 3);
        int probeCount = 0, seen = 0;
        double resolution = 0;
        Map<Integer, Long> seenAt = BenchLocal.answers.probeSeenAt(),
                missedAt = BenchLocal.answers.probeMissedAt();
        for (var e : BenchLocal.probeEmittedAt.entrySet()) {
            long emitted = e.getValue();
            // Only probes whose every request (up to the last offset) was asked within the measured
            // window.
            if (emitted < start || emitted > start + windowMs - Result.UNSEEN_AFTER_MS) {
                continue;
            }
            probeCount++;
            Long first = seenAt.get(e.getKey());
            if (first == null) {
                continue;
            }
            seen++;
            long upper = Math.max(0, first - emitted);
            h.recordValue(Math.max(1, upper * 1000));
            Long missed = missedAt.get(e.getKey());
            resolution +=
                    missed == null || missed > first ? upper : first - Math.max(emitted, missed);
        }
        // Every probe: the seen ones, and the unseen ones at a mark past any seen time.
        Histogram all = h.copy();
        if (probeCount > seen) {
            all.recordValueWithCount(UNSEEN_MARK_US, probeCount - seen);
        }
        return new Result(
                probeCount,
                seen,
                BenchLocal.answers.probeAnswers.sum(),
                RequestBenchmark.ms(h, 50),
                RequestBenchmark.ms(h, 90),
                RequestBenchmark.ms(h, 99),
                h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0,
                seen == 0 ? Double.NaN : resolution / seen,
                h,
                overAll(all, 50),
                overAll(all, 99));
    }

    /** A percentile over all probes; infinite when it falls on the unseen ones. */
    private static double overAll(Histogram all, double percentile) {
        double ms = RequestBenchmark.ms(all, percentile);
        return ms * 1000 >= all.lowestEquivalentValue(UNSEEN_MARK_US)
                ? Double.POSITIVE_INFINITY
                : ms;
    }
}
