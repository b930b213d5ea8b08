package io.walkstream.bench;

import io.walkstream.gen.ShopGenerator;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The yardstick every walkstream figure is divided by: the same shop, the same walk, in plain
 * arrays in this JVM ({@link ReferenceGraph}, {@link ReferenceWalk}), measured in the same run as
 * the job, so a slow or busy host slows both.
 *
 * <ul>
 *   <li>Ingest: the shop's events (the job's generator, parameters and seed) appended to the graph
 *       on one thread. Events are generated in batches and only the appending is timed.
 *   <li>Requests: after the requests run's preload ({@code --preload} events), the shop's request
 *       mix ({@link ShopRequests}, the job's request source with its seed: home feeds, some "more
 *       like this", the same walkers and k) answered in a closed loop on 1 and on 2 threads, each
 *       sharing the one graph: answers/s, and each answer's latency in an HdrHistogram. Nothing is
 *       ingested meanwhile (the job's requests run ingests alongside). A warm-up precedes each
 *       measurement.
 * </ul>
 */
public final class ReferenceBenchmark {
    /** Events are generated this many at a time, then appended (timed). */
    static final int BATCH = 1 << 16;

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * @param cpuMicrosPerEvent the appending thread's CPU time per event (less sensitive than
     *     events/s to other load)
     */
    public record Ingest(
            long events, double seconds, double eventsPerSecond, double cpuMicrosPerEvent) {}

    /**
     * One closed-loop measurement: answers/s on {@code threads} threads and their latency.
     *
     * @param cpuMsPerAnswer the answering threads' CPU time per answer
     */
    public record Requests(
            int threads,
            long answered,
            double seconds,
            double perSecond,
            double p50Ms,
            double p90Ms,
            double p99Ms,
            double p999Ms,
            double maxMs,
            double emptyShare,
            double meanItems,
            double cpuMsPerAnswer,
            Histogram latency) {}

    /**
     * @param ingest null when ingest was not measured
     * @param requests by thread count (1, then 2); empty when requests were not measured
     * @param graphEvents events the requests' graph held
     */
    public record Result(
            Ingest ingest,
            List<Requests> requests,
            long graphEvents,
            int nodes,
            long ringEntries,
            int walkers,
            int requestMix) {
        /**
         * The measurement on this many threads, or the one on the most threads below it; null if
         * none.
         */
        public Requests at(int threads) {
            Requests best = null;
            for (Requests r : requests) {
                if (r.threads() <= threads && (best == null || r.threads() > best.threads())) {
                    best = r;
                }
            }
            return best;
        }
    }

    private ReferenceBenchmark() {}

    /** Thread counts of the request measurement. */
    static final int[] THREADS = {1, 2};

    public static Result run(
            BenchSettings s, boolean ingest, boolean requests, Consumer<String> progress)
            throws InterruptedException {
        ReferenceGraph graph = new ReferenceGraph(s.config);
        Feed feed = new Feed(s.shop, s.seed);
        long ingestTarget = ingest ? s.events : 0;
        long preloadTarget = requests ? s.preload : 0;
        long total = Math.max(ingestTarget, preloadTarget);
        long[] appendNanos = {0, 0}; // wall, CPU
        append(graph, feed, preloadTarget, total, appendNanos, progress);
        List<Requests> measured = new ArrayList<>();
        long graphEvents = feed.emitted;
        int nodes = graph.nodes();
        long entries = graph.ringEntries();
        if (requests) {
            ShopRequests source = new ShopRequests(s.shop, s.seed + 1, 10, s.walkers);
            Request[] mix = new Request[s.referenceRequests];
            for (int i = 0; i < mix.length; i++) {
                mix[i] = source.map((long) i);
            }
            for (int threads : THREADS) {
                progress.accept(
                        String.format(
                                Locale.ROOT,
                                "reference: requests on %d thread%s (%.0f s)",
                                threads,
                                threads == 1 ? "" : "s",
                                (s.referenceWarmupMs + s.referenceMs) / 1000.0));
                measured.add(closedLoop(graph, mix, threads, s.referenceWarmupMs, s.referenceMs));
            }
        }
        append(graph, feed, total, total, appendNanos, progress);
        Ingest in = null;
        if (ingest) {
            double seconds = appendNanos[0] / 1e9;
            in =
                    new Ingest(
                            feed.emitted,
                            seconds,
                            feed.emitted / seconds,
                            appendNanos[1] / 1e3 / feed.emitted);
        }
        return new Result(
                in, measured, graphEvents, nodes, entries, s.walkers, s.referenceRequests);
    }

    /**
     * Appends the feed's events until {@code upTo} have been emitted; only the appending is timed
     * (wall and CPU ns).
     */
    private static void append(
            ReferenceGraph graph,
            Feed feed,
            long upTo,
            long total,
            long[] nanos,
            Consumer<String> progress) {
        Event[] batch = new Event[BATCH];
        while (feed.emitted < upTo) {
            int n = (int) Math.min(BATCH, upTo - feed.emitted);
            feed.fill(batch, n);
            long cpu0 = CPU.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                graph.apply(batch[i]);
            }
            nanos[0] += System.nanoTime() - t0;
            nanos[1] += CPU.getCurrentThreadCpuTime() - cpu0;
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "reference: %,d of %,d events appended",
                            feed.emitted,
                            total));
        }
    }

    /**
     * {@code threads} threads answer the mix (thread t takes requests t, t + threads, …) for {@code
     * warmupMs + measureMs}; requests started in the last {@code measureMs} are counted and timed.
     */
    static Requests closedLoop(
            ReferenceGraph graph, Request[] mix, int threads, long warmupMs, long measureMs)
            throws InterruptedException {
        long start = System.nanoTime() + warmupMs * 1_000_000L;
        long end = start + measureMs * 1_000_000L;
        Histogram[] latency = new Histogram[threads];
        long[] answered = new long[threads];
        long[] empty = new long[threads];
        long[] items = new long[threads];
        long[] cpu = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            latency[t] = new Histogram(3);
            workers[t] =
                    new Thread(
                            () -> {
                                ReferenceWalk walk = new ReferenceWalk(graph);
                                long cpu0 = -1;
                                for (long i = id; ; i += threads) {
                                    long t0 = System.nanoTime();
                                    if (t0 >= end) {
                                        break;
                                    }
                                    if (cpu0 < 0 && t0 >= start) {
                                        cpu0 = CPU.getCurrentThreadCpuTime();
                                    }
                                    ReferenceWalk.Answer a =
                                            walk.answer(mix[(int) (i % mix.length)]);
                                    long t1 = System.nanoTime();
                                    if (t0 >= start) {
                                        latency[id].recordValue(t1 - t0);
                                        answered[id]++;
                                        items[id] += a.items().length;
                                        if (a.items().length == 0) {
                                            empty[id]++;
                                        }
                                    }
                                }
                                if (cpu0 >= 0) {
                                    cpu[id] = CPU.getCurrentThreadCpuTime() - cpu0;
                                }
                            },
                            "reference-walk-" + t);
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        Histogram h = new Histogram(3);
        long n = 0, e = 0, it = 0, cpuNs = 0;
        for (int t = 0; t < threads; t++) {
            h.add(latency[t]);
            cpuNs += cpu[t];
            n += answered[t];
            e += empty[t];
            it += items[t];
        }
        double seconds = measureMs / 1000.0;
        return new Requests(
                threads,
                n,
                seconds,
                n / seconds,
                ms(h, 50),
                ms(h, 90),
                ms(h, 99),
                ms(h, 99.9),
                h.getMaxValue() / 1e6,
                n == 0 ? 0 : e / (double) n,
                n == 0 ? 0 : it / (double) n,
                n == 0 ? 0 : cpuNs / 1e6 / n,
                h);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    /**
     * The shop's event stream as the benchmark's sources make it: the initial catalogue first, then
     * interactions, each followed by the metadata of items that appeared meanwhile; stamped with
     * the wall clock, so the requests made afterwards see every event.
     */
    static final class Feed {
        private final ShopGenerator gen;
        private final ArrayDeque<Event> pending = new ArrayDeque<>();
        long emitted;

        Feed(ShopGenerator.Params shop, long seed) {
            gen = new ShopGenerator(shop, seed);
            pending.addAll(gen.takeNewItems(System.currentTimeMillis()));
        }

        void fill(Event[] batch, int n) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < n; i++) {
                if (pending.isEmpty()) {
                    batch[i] = gen.nextInteraction(now);
                    pending.addAll(gen.takeNewItems(now));
                } else {
                    batch[i] = pending.poll();
                }
            }
            emitted += n;
        }
    }
}
