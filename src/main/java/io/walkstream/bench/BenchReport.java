package io.walkstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A benchmark run's figures: a table for the terminal and {@code bench.md}, everything in {@code
 * bench.json}, and charts ({@code latency.png}: latency by percentile per request rate; {@code
 * throughput.png}: events/s and answers/s over time; {@code soak.png}, {@code surge.png} for those
 * scenarios).
 *
 * <p>When the run measured the in-process reference ({@link ReferenceBenchmark}), every walkstream
 * figure — ingest events/s, each step's p99, the sustained and the peak answered requests/s — is
 * also given as a ratio to the reference's figure: walkstream ÷ reference, the reference's ingest
 * on 1 thread, its requests on as many threads as the job's parallelism (at most 2). A rate below
 * 1× is slower than the reference; a latency above 1× is slower too. Ratios are computed when the
 * report is printed or written, so the reference may be added before or after the job's figures.
 */
public final class BenchReport {
    public final Map<String, Object> json = new LinkedHashMap<>();
    private final List<Supplier<String>> rows = new ArrayList<>();

    /** Fill in the ratio fields of {@link #json} once the reference is known. */
    private final List<Runnable> ratioFields = new ArrayList<>();

    private final List<IngestBenchmark.Result> ingest = new ArrayList<>();
    private RequestBenchmark.Result requests;
    private final List<Histogram> stepLatencies = new ArrayList<>();
    private final List<String> stepNames = new ArrayList<>();
    private final int parallelism;
    private ReferenceBenchmark.Result reference;
    private SoakBenchmark.Result soak;
    private SurgeBenchmark.Result surge;

    /**
     * @param parallelism the job's: the reference's requests are compared at this many threads (at
     *     most 2)
     */
    public BenchReport(Map<String, Object> parameters, int parallelism) {
        json.put("machine", Machine.describe());
        json.put("parameters", parameters);
        this.parallelism = parallelism;
    }

    // A long list, not phases: the reference's JSON fields and table rows, one figure after
    // another.
    @SuppressWarnings("checkstyle:MethodLength")
    public void add(ReferenceBenchmark.Result r) {
        reference = r;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "what",
                "the same shop and walk in plain arrays in this JVM, no Flink (bench/ReferenceGraph, bench/ReferenceWalk);"
                        + " embedding similarity, trending, dislikes, follows and state expiry left out");
        if (r.ingest() != null) {
            m.put(
                    "ingest",
                    Map.of(
                            "threads",
                            1,
                            "events",
                            r.ingest().events(),
                            "seconds",
                            round(r.ingest().seconds()),
                            "eventsPerSecond",
                            Math.round(r.ingest().eventsPerSecond()),
                            "cpuMicrosPerEvent",
                            round(r.ingest().cpuMicrosPerEvent())));
            rows.add(
                    () ->
                            row(
                                    "reference: ingest, 1 thread",
                                    String.format(
                                            Locale.ROOT,
                                            "%,.0f events/s (%,d appended in %.2f s, generating them not timed; %.2f µs CPU per event)",
                                            r.ingest().eventsPerSecond(),
                                            r.ingest().events(),
                                            r.ingest().seconds(),
                                            r.ingest().cpuMicrosPerEvent()),
                                    "",
                                    null));
        }
        List<Map<String, Object>> req = new ArrayList<>();
        for (ReferenceBenchmark.Requests q : r.requests()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("threads", q.threads());
            e.put("answered", q.answered());
            e.put("seconds", q.seconds());
            e.put("answeredPerSecond", round(q.perSecond()));
            e.put("p50Ms", round(q.p50Ms()));
            e.put("p90Ms", round(q.p90Ms()));
            e.put("p99Ms", round(q.p99Ms()));
            e.put("p999Ms", round(q.p999Ms()));
            e.put("maxMs", round(q.maxMs()));
            e.put("emptyShare", round(q.emptyShare()));
            e.put("meanItems", round(q.meanItems()));
            e.put("cpuMsPerAnswer", round(q.cpuMsPerAnswer()));
            req.add(e);
            rows.add(
                    () ->
                            row(
                                    "reference: requests, "
                                            + q.threads()
                                            + (q.threads() == 1 ? " thread" : " threads"),
                                    String.format(
                                            Locale.ROOT,
                                            "%,.0f/s answered (closed loop, %d walkers), p50 %.2f / p99 %.2f / max %.1f ms, %.2f ms CPU per answer; %.1f items per answer, %.1f%% empty",
                                            q.perSecond(),
                                            r.walkers(),
                                            q.p50Ms(),
                                            q.p99Ms(),
                                            q.maxMs(),
                                            q.cpuMsPerAnswer(),
                                            q.meanItems(),
                                            100 * q.emptyShare()),
                                    "",
                                    null));
        }
        if (!req.isEmpty()) {
            m.put("requests", req);
            m.put(
                    "graph",
                    Map.of(
                            "events",
                            r.graphEvents(),
                            "nodes",
                            r.nodes(),
                            "ringEntries",
                            r.ringEntries()));
            m.put("walkers", r.walkers());
            m.put("requestMix", r.requestMix());
        }
        json.put("reference", m);
    }

    /**
     * The reference's requests at the job's thread count (at most the 2 it is measured on); null if
     * not measured.
     */
    private ReferenceBenchmark.Requests referenceRequests() {
        return reference == null ? null : reference.at(Math.max(1, parallelism));
    }

    private ReferenceBenchmark.Ingest referenceIngest() {
        return reference == null ? null : reference.ingest();
    }

    /** A ratio, two significant digits below 10 ("0.042", "3.1"), whole above. */
    static String times(double ratio) {
        if (!Double.isFinite(ratio)) {
            return "–";
        }
        if (ratio >= 10) {
            return String.format(Locale.ROOT, "%,.0f", ratio);
        }
        if (ratio == 0) {
            return "0";
        }
        return new BigDecimal(ratio).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    private static String threads(int n) {
        return n + (n == 1 ? " thread" : " threads");
    }

    public void add(String backend, IngestBenchmark.Result r, Double target) {
        ingest.add(r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", r.source());
        m.put("backend", backend);
        m.put("events", r.events());
        m.put("seconds", round(r.seconds()));
        m.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
        // NaN when the progress samples did not bracket 10–90 % of the run (a run too quick to
        // sample): null, not 0.
        m.put(
                "steadyEventsPerSecond",
                Double.isFinite(r.steadyEventsPerSecond())
                        ? Math.round(r.steadyEventsPerSecond())
                        : null);
        m.put("cpuMicrosPerEvent", round(r.cpuMicrosPerEvent()));
        json.put("ingest-" + backend + (r.kind().isEmpty() ? "" : "-" + r.kind()), m);
        String what = "ingest, " + r.source() + ", " + backend;
        ratioFields.add(
                () -> {
                    ReferenceBenchmark.Ingest ref = referenceIngest();
                    if (ref == null) {
                        return;
                    }
                    // A ratio is null when a figure was not measured: a LinkedHashMap, since Map.of
                    // refuses nulls.
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("eventsPerSecond", ratio(r.eventsPerSecond(), ref.eventsPerSecond()));
                    v.put(
                            "steadyEventsPerSecond",
                            ratio(r.steadyEventsPerSecond(), ref.eventsPerSecond()));
                    v.put("referenceThreads", 1);
                    m.put("vsReference", v);
                    ratio(what + ": events/s", r.eventsPerSecond(), ref.eventsPerSecond(), 1);
                });
        rows.add(
                () -> {
                    ReferenceBenchmark.Ingest ref = referenceIngest();
                    return row(
                            what,
                            String.format(
                                    Locale.ROOT,
                                    "%,.0f events/s (steady %s; %,d in %.1f s; %.1f µs CPU per event)%s",
                                    r.eventsPerSecond(),
                                    Double.isFinite(r.steadyEventsPerSecond())
                                            ? String.format(
                                                    Locale.ROOT, "%,.0f", r.steadyEventsPerSecond())
                                            : "not sampled",
                                    r.events(),
                                    r.seconds(),
                                    r.cpuMicrosPerEvent(),
                                    ref == null
                                            ? ""
                                            : " — ingest "
                                                    + times(
                                                            r.eventsPerSecond()
                                                                    / ref.eventsPerSecond())
                                                    + "× reference (1 thread)"),
                            target == null ? "" : String.format(Locale.ROOT, "≥ %,.0f", target),
                            target == null || !Double.isFinite(r.steadyEventsPerSecond())
                                    ? null
                                    : r.steadyEventsPerSecond() >= target);
                });
    }

    public void add(RequestBenchmark.Result r, List<Histogram> perStep) {
        requests = r;
        List<Map<String, Object>> steps = new ArrayList<>();
        for (RequestBenchmark.Step s : r.steps()) {
            steps.add(addRequestStep(s));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("walkers", r.walkers());
        m.put("ingestPerSecond", r.ingestPerSecond());
        m.put("p99TargetMs", r.p99TargetMs());
        m.put("steps", steps);
        m.put("sustainedPerSecond", r.sustainedPerSecond());
        double peak =
                r.steps().stream()
                        .mapToDouble(RequestBenchmark.Step::answeredPerSecond)
                        .max()
                        .orElse(0);
        m.put("peakAnsweredPerSecond", round(peak));
        m.put("costPerRequest", addRequestCost(r.cost()));
        if (r.checkpoints() != null) {
            m.put("checkpoints", addRequestCheckpoints(r.checkpoints()));
        }
        json.put("requests", m);
        addSustained(r, m, peak);
        for (int i = 0; i < perStep.size(); i++) {
            stepLatencies.add(perStep.get(i));
            stepNames.add(
                    String.format(Locale.ROOT, "%,.0f req/s", r.steps().get(i).offeredPerSecond()));
        }
    }

    /**
     * One offered rate of the requests run: its JSON, its row, and its p99 against the reference's.
     */
    private Map<String, Object> addRequestStep(RequestBenchmark.Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offeredPerSecond", s.offeredPerSecond());
        m.put("answered", s.answered());
        m.put("answeredPerSecond", round(s.answeredPerSecond()));
        m.put("p50Ms", s.p50Ms());
        m.put("p90Ms", s.p90Ms());
        m.put("p99Ms", s.p99Ms());
        m.put("p999Ms", s.p999Ms());
        m.put("maxMs", s.maxMs());
        m.put("partialShare", round(s.partialShare()));
        m.put("timedOutShare", round(s.timedOutShare()));
        m.put("coresBusy", round(s.coresBusy()));
        m.put("sustained", s.sustained());
        ratioFields.add(
                () -> {
                    ReferenceBenchmark.Requests ref = referenceRequests();
                    if (ref == null) {
                        return;
                    }
                    m.put("p99VsReference", ratio(s.p99Ms(), ref.p99Ms()));
                    ratio(
                            String.format(
                                    Locale.ROOT, "requests at %,.0f/s: p99", s.offeredPerSecond()),
                            s.p99Ms(),
                            ref.p99Ms(),
                            ref.threads());
                });
        rows.add(
                () -> {
                    ReferenceBenchmark.Requests ref = referenceRequests();
                    return row(
                            String.format(Locale.ROOT, "requests at %,.0f/s", s.offeredPerSecond()),
                            String.format(
                                    Locale.ROOT,
                                    "%,.0f/s answered, p50 %.0f / p99 %.0f / p99.9 %.0f ms, partial %.1f%%, timed out %.1f%%, %.2f cores busy%s",
                                    s.answeredPerSecond(),
                                    s.p50Ms(),
                                    s.p99Ms(),
                                    s.p999Ms(),
                                    100 * s.partialShare(),
                                    100 * s.timedOutShare(),
                                    s.coresBusy(),
                                    ref == null
                                            ? ""
                                            : " — p99 "
                                                    + times(s.p99Ms() / ref.p99Ms())
                                                    + "× reference ("
                                                    + threads(ref.threads())
                                                    + ")"),
                            "",
                            null);
                });
        return m;
    }

    /** What one answer cost each step: its JSON and its row. */
    private Map<String, Object> addRequestCost(RequestBenchmark.Cost cost) {
        Map<String, Object> costJson = new LinkedHashMap<>();
        for (int i = 0; i < RequestBenchmark.Cost.STEPS.length; i++) {
            costJson.put(
                    RequestBenchmark.Cost.STEPS[i],
                    Map.of(
                            "messages",
                            round(cost.messages()[i]),
                            "records",
                            round(cost.records()[i])));
        }
        rows.add(
                () ->
                        row(
                                "request cost (per answer)",
                                String.format(
                                        Locale.ROOT,
                                        "walker groups / inputs into Item %,.0f, Context %,.0f, Score %,.0f, Rank %,.0f; records crossing a shuffle %,.1f, %,.1f, %,.1f, %,.1f",
                                        cost.messages()[0],
                                        cost.messages()[1],
                                        cost.messages()[2],
                                        cost.messages()[3],
                                        cost.records()[0],
                                        cost.records()[1],
                                        cost.records()[2],
                                        cost.records()[3]),
                                "",
                                null));
        return costJson;
    }

    /** What the run's checkpoints cost: full heap snapshots compete with the walk for the cores. */
    private Map<String, Object> addRequestCheckpoints(RequestBenchmark.Checkpoints c) {
        double mib = c.stateBytes() / (1024.0 * 1024.0);
        rows.add(
                () ->
                        row(
                                "checkpoints during the run",
                                String.format(
                                        Locale.ROOT,
                                        "%d completed; end to end median %,d / longest %,d ms (the last ten); state %,.0f MiB",
                                        c.completed(),
                                        c.medianMs(),
                                        c.longestMs(),
                                        mib),
                                "",
                                null));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("completed", c.completed());
        m.put("medianMs", c.medianMs());
        m.put("longestMs", c.longestMs());
        m.put("stateMiB", round(mib));
        return m;
    }

    /** The sustained rate (p99 within the target) and the peak, against the reference's. */
    private void addSustained(RequestBenchmark.Result r, Map<String, Object> m, double peak) {
        RequestBenchmark.Step atSustained =
                r.steps().stream()
                        .filter(RequestBenchmark.Step::sustained)
                        .filter(x -> x.offeredPerSecond() == r.sustainedPerSecond())
                        .findFirst()
                        .orElse(null);
        ratioFields.add(
                () -> {
                    ReferenceBenchmark.Requests ref = referenceRequests();
                    if (ref == null) {
                        return;
                    }
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("sustainedPerSecond", ratio(r.sustainedPerSecond(), ref.perSecond()));
                    v.put("peakAnsweredPerSecond", ratio(peak, ref.perSecond()));
                    if (atSustained != null) {
                        v.put("p99AtSustained", ratio(atSustained.p99Ms(), ref.p99Ms()));
                    }
                    v.put("referenceThreads", ref.threads());
                    m.put("vsReference", v);
                    ratio(
                            "requests sustained: requests/s",
                            r.sustainedPerSecond(),
                            ref.perSecond(),
                            ref.threads());
                    ratio("requests: peak answered/s", peak, ref.perSecond(), ref.threads());
                    if (atSustained != null) {
                        ratio(
                                "requests sustained: p99",
                                atSustained.p99Ms(),
                                ref.p99Ms(),
                                ref.threads());
                    }
                });
        rows.add(
                () -> {
                    ReferenceBenchmark.Requests ref = referenceRequests();
                    String vs =
                            ref == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            " — requests %s× reference (%s)%s; peak %,.0f/s answered: %s× reference",
                                            times(r.sustainedPerSecond() / ref.perSecond()),
                                            threads(ref.threads()),
                                            atSustained == null
                                                    ? ""
                                                    : ", p99 "
                                                            + times(
                                                                    atSustained.p99Ms()
                                                                            / ref.p99Ms())
                                                            + "×",
                                            peak,
                                            times(peak / ref.perSecond()));
                    return row(
                            "requests sustained (p99 ≤ " + (int) r.p99TargetMs() + " ms)",
                            String.format(
                                    Locale.ROOT,
                                    "%,.0f requests/s, %d walkers, %,.0f events/s ingest%s",
                                    r.sustainedPerSecond(),
                                    r.walkers(),
                                    r.ingestPerSecond(),
                                    vs),
                            "≥ 750",
                            r.sustainedPerSecond() >= 750);
                });
    }

    public void add(FreshnessBenchmark.Result r) {
        Map<String, Object> fresh = new LinkedHashMap<>();
        fresh.put("probes", r.probes());
        fresh.put("seen", r.seen());
        fresh.put("probeAnswers", r.probeAnswers());
        fresh.put("p50Ms", r.p50Ms());
        fresh.put("p90Ms", r.p90Ms());
        fresh.put("p99Ms", r.p99Ms());
        fresh.put("maxMs", r.maxMs());
        fresh.put("meanResolutionMs", round(r.meanResolutionMs()));
        // Over every probe; null: the percentile falls on probes unseen after unseenAfterMs.
        fresh.put("p50AllMs", Double.isInfinite(r.p50AllMs()) ? null : r.p50AllMs());
        fresh.put("p99AllMs", Double.isInfinite(r.p99AllMs()) ? null : r.p99AllMs());
        fresh.put("unseenAfterMs", FreshnessBenchmark.Result.UNSEEN_AFTER_MS);
        json.put("freshness", fresh);
        rows.add(
                () ->
                        row(
                                "freshness (interaction → visible to walks)",
                                String.format(
                                        Locale.ROOT,
                                        "over all %d probes p50 %s / p99 %s ms (%d not seen within %d ms count as later); the %d seen: p50 %.0f / p99 %.0f / max %.0f ms, resolution ~%.1f ms",
                                        r.probes(),
                                        censored(r.p50AllMs()),
                                        censored(r.p99AllMs()),
                                        r.probes() - r.seen(),
                                        FreshnessBenchmark.Result.UNSEEN_AFTER_MS,
                                        r.seen(),
                                        r.p50Ms(),
                                        r.p99Ms(),
                                        r.maxMs(),
                                        r.meanResolutionMs()),
                                "p99 ≤ 100 ms",
                                r.probes() > 0 && r.p99AllMs() <= 100));
    }

    /**
     * A freshness percentile over all probes: on an unseen probe, "later than the last request".
     */
    static String censored(double ms) {
        if (Double.isNaN(ms)) {
            return "–";
        }
        return Double.isInfinite(ms)
                ? "> " + FreshnessBenchmark.Result.UNSEEN_AFTER_MS
                : String.format(Locale.ROOT, "%.0f", ms);
    }

    public void add(SurgeBenchmark.Result r) {
        surge = r;
        json.put("surge", SurgeReport.json(r));
        for (SurgeReport.Row row : SurgeReport.rows(r)) {
            rows.add(() -> row(row.what(), row.figure(), row.target(), row.met()));
        }
    }

    public void add(MemoryBenchmark.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", r.events());
        m.put("stateBytes", r.stateBytes());
        m.put("edgesStored", r.edgesStored());
        m.put("nodes", r.nodes());
        m.put("bytesPerEdge", round(r.bytesPerEdge()));
        m.put("bytesPerNode", round(r.bytesPerNode()));
        m.put("bytesPerEvent", round(r.bytesPerEvent()));
        m.put("byStep", r.byStep());
        json.put("memory", m);
        rows.add(
                () ->
                        row(
                                "memory (heap state, all steps)",
                                String.format(
                                        Locale.ROOT,
                                        "%.1f B per stored edge, %.0f B per node (%,d MiB for %,d edges, %,d nodes)",
                                        r.bytesPerEdge(),
                                        r.bytesPerNode(),
                                        r.stateBytes() >> 20,
                                        r.edgesStored(),
                                        r.nodes()),
                                "≤ 60 B/edge",
                                r.bytesPerEdge() <= 60));
    }

    // A long list, not phases: the soak's JSON fields and table rows, one figure after another.
    @SuppressWarnings("checkstyle:MethodLength")
    public void add(SoakBenchmark.Result r) {
        soak = r;
        SoakBenchmark.Verdict v = r.verdict();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minutes", r.minutes());
        m.put("sampleSeconds", r.sampleSeconds());
        m.put("ingestPerSecond", r.ingestPerSecond());
        m.put("requestsPerSecond", r.requestsPerSecond());
        m.put("walkers", r.walkers());
        m.put("stateTtlMs", r.stateTtlMs());
        m.put("backend", r.backend());
        m.put("checkpointIntervalMs", r.checkpointIntervalMs());
        m.put("shop", r.shop());
        m.put("oldGenerationPool", r.oldGenPool());
        m.put(
                "what",
                "state = full size of the latest completed checkpoint (REST API); heapAfterGc = the old generation's"
                        + " collection usage (after its last mixed/full collection); liveHeap = heap in use right after a full collection the"
                        + " benchmark asked for (the live set; every --soak-full-gc-seconds); latency by the interval the"
                        + " request entered the job; edgesStored counts ring writes cumulatively (it does not fall when nodes expire)");
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("requestsSent", v.requestsSent());
        totals.put("requestsAnswered", v.requestsAnswered());
        totals.put("timedOut", r.timedOut());
        totals.put("partial", r.partial());
        totals.put("p50Ms", r.p50Ms());
        totals.put("p99Ms", r.p99Ms());
        totals.put("maxMs", r.maxMs());
        totals.put("checkpointsCompleted", r.checkpointsCompleted());
        totals.put("checkpointsFailed", r.checkpointsFailed());
        totals.put(
                "meanEventsPerSecond",
                round(
                        r.samples().stream()
                                .mapToDouble(x -> x.eventsPerSecond)
                                .average()
                                .orElse(Double.NaN)));
        totals.put(
                "meanAnsweredPerSecond",
                round(
                        r.samples().stream()
                                .mapToDouble(x -> x.answeredPerSecond)
                                .average()
                                .orElse(Double.NaN)));
        m.put("totals", totals);
        m.put("verdict", v);
        m.put("samples", r.samples());
        json.put("soak", m);
        String run = String.format(Locale.ROOT, "soak, %.0f min", r.minutes());
        rows.add(
                () ->
                        row(
                                run + ": state",
                                String.format(
                                        Locale.ROOT,
                                        "per event of the last TTL %s B over the middle third, %s B over the last: %s%%/h; the state itself %s MiB, %s MiB:"
                                                + " %s%%/h (checkpointed state, TTL %s, %,.0f events/s, %,.0f requests/s)",
                                        fmt(v.middleThirdBytesPerRecentEvent()),
                                        fmt(v.lastThirdBytesPerRecentEvent()),
                                        fmt(v.perRecentEventGrowthPctPerHour()),
                                        fmt(v.middleThirdStateMiB()),
                                        fmt(v.lastThirdStateMiB()),
                                        fmt(v.stateGrowthPctPerHour()),
                                        duration(r.stateTtlMs()),
                                        r.ingestPerSecond(),
                                        r.requestsPerSecond()),
                                String.format(
                                        Locale.ROOT, "< %.0f %%/h", v.stateGrowthLimitPctPerHour()),
                                v.stateBounded()));
        rows.add(
                () ->
                        row(
                                run + ": heap after GC",
                                String.format(
                                        Locale.ROOT,
                                        "live set after full collections %s MiB/h over the last half (%d readings, %s → %s MiB); old generation after"
                                                + " G1's collections %s MiB/h (%d collections in %d phases); judged on the %s",
                                        fmt(v.liveHeapSlopeMiBPerHour()),
                                        v.liveHeapReadingsLastHalf(),
                                        fmt(v.liveHeapFirstMiB()),
                                        fmt(v.liveHeapLastMiB()),
                                        fmt(v.heapSlopeMiBPerHour()),
                                        v.oldCollectionsLastHalf(),
                                        v.oldCollectionPhasesLastHalf(),
                                        v.heapJudgedOn()),
                                String.format(
                                        Locale.ROOT, "< %.0f MiB/h", v.heapSlopeLimitMiBPerHour()),
                                v.heapFlat()));
        rows.add(
                () ->
                        row(
                                run + ": requests",
                                String.format(
                                        Locale.ROOT,
                                        "%,d sent, %,d answered, %,d unanswered; p50 %.0f / p99 %.0f / max %.0f ms, %,d timed out",
                                        v.requestsSent(),
                                        v.requestsAnswered(),
                                        v.unanswered(),
                                        r.p50Ms(),
                                        r.p99Ms(),
                                        r.maxMs(),
                                        r.timedOut()),
                                "none unanswered",
                                v.allAnswered()));
        rows.add(
                () ->
                        row(
                                run + ": restarts",
                                String.format(
                                        Locale.ROOT,
                                        "%d restarts, %s at the end; %,d checkpoints completed, %,d failed",
                                        v.restarts(),
                                        v.jobStatusAtEnd(),
                                        r.checkpointsCompleted(),
                                        r.checkpointsFailed()),
                                "0",
                                v.noRestarts()));
        rows.add(
                () ->
                        row(
                                run + ": verdict",
                                v.pass()
                                        ? "bounded state, flat heap, every request answered, no restarts"
                                        : String.join("; ", v.reasons()),
                                "",
                                v.pass()));
    }

    private static String fmt(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%,.1f", x) : "–";
    }

    private static String duration(long ms) {
        return ms % 60_000 == 0
                ? ms / 60_000 + " min"
                : String.format(Locale.ROOT, "%.0f s", ms / 1000.0);
    }

    /** The soak's samples as a Markdown table. */
    private String soakTable() {
        StringBuilder b =
                new StringBuilder(
                        "| t (s) | events/s | behind | answered/s | p50 ms | p99 ms | timed out | state MiB"
                                + " | checkpoint ms | old gen after GC MiB | old GCs | heap floor MiB | live set MiB | GC ms | cores |\n"
                                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SoakBenchmark.Sample x : soak.samples()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "| %.0f | %,.0f | %,d | %.1f | %s | %s | %d | %s | %s | %s | %d | %s | %s | %d | %.2f |\n",
                            x.seconds,
                            x.eventsPerSecond,
                            x.eventsBehind,
                            x.answeredPerSecond,
                            fmt(x.p50Ms),
                            fmt(x.p99Ms),
                            x.timedOut,
                            SoakBenchmark.mib(x.stateBytes),
                            x.checkpointMs < 0 ? "–" : Long.toString(x.checkpointMs),
                            SoakBenchmark.mib(x.heapAfterGcBytes),
                            x.oldCollections,
                            SoakBenchmark.mib(x.heapFloorBytes),
                            x.liveHeapBytes < 0 ? "" : SoakBenchmark.mib(x.liveHeapBytes),
                            x.gcMs,
                            x.coresBusy));
        }
        return b.toString();
    }

    private static String row(String what, String figure, String target, Boolean met) {
        return "| "
                + what
                + " | "
                + figure
                + " | "
                + target
                + " | "
                + (met == null ? "" : met ? "met" : "**not met**")
                + " |";
    }

    public String table() {
        StringBuilder b =
                new StringBuilder("| scenario | measured | target | |\n|---|---|---|---|\n");
        rows.forEach(r -> b.append(r.get()).append('\n'));
        return b.toString();
    }

    /**
     * walkstream ÷ reference, rounded to 4 significant digits (null when the reference figure is
     * not positive).
     */
    private static Double ratio(double walkstream, double reference) {
        if (!(reference > 0) || !Double.isFinite(walkstream)) {
            return null;
        }
        return new BigDecimal(walkstream / reference).round(new MathContext(4)).doubleValue();
    }

    private List<Map<String, Object>> ratioList;

    /** Adds one entry to {@code vsReference}, the list of every figure against the reference's. */
    private void ratio(String figure, double walkstream, double ref, int threads) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("figure", figure);
        e.put("walkstream", round(walkstream));
        e.put("reference", round(ref));
        e.put("ratio", ratio(walkstream, ref));
        e.put("referenceThreads", threads);
        ratioList.add(e);
    }

    /** The ratio fields, filled in now that every figure and the reference are known. */
    private void fillRatios() {
        ratioList = new ArrayList<>();
        ratioFields.forEach(Runnable::run);
        if (reference != null) {
            json.put("vsReference", ratioList);
        }
    }

    // A long list, not phases: bench.md and bench.json section by section, in the order they are
    // read.
    @SuppressWarnings("checkstyle:MethodLength")
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        fillRatios();
        StringBuilder md = new StringBuilder("# walkstream benchmark\n\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) json.get("machine");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        ((Map<?, ?>) json.get("parameters"))
                .forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
        md.append('\n').append(table());
        if (reference != null) {
            md.append(
                            "\nRatios: walkstream ÷ the in-process reference measured in this run (the same shop and walk in plain arrays,"
                                    + " no Flink; embedding similarity left out): its ingest on 1 thread, its requests in a closed loop on ")
                    .append(threads(Math.min(2, Math.max(1, parallelism))))
                    .append(
                            " (the job's parallelism, at most 2). Below 1× a rate is slower than the reference; above 1× a latency is.\n");
        }
        if (soak != null) {
            SoakBenchmark.Verdict v = soak.verdict();
            md.append("\n## Soak\n\n")
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "%.0f min at %,.0f events/s and %,.0f requests/s (%d walkers), %s backend, checkpoints every"
                                            + " %,d ms, state TTL %s (`graph.stateTtlMs` %d), shop `%s`, sampled every %.0f s. Chart: `soak.png`.%n%n",
                                    soak.minutes(),
                                    soak.ingestPerSecond(),
                                    soak.requestsPerSecond(),
                                    soak.walkers(),
                                    soak.backend(),
                                    soak.checkpointIntervalMs(),
                                    duration(soak.stateTtlMs()),
                                    soak.stateTtlMs(),
                                    soak.shop(),
                                    soak.sampleSeconds()))
                    .append("**Verdict: ")
                    .append(v.pass() ? "pass" : "fail")
                    .append("**")
                    .append(v.reasons().isEmpty() ? "" : " — " + String.join("; ", v.reasons()))
                    .append("\n\n")
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "- state bounded: %s — state per event applied in the TTL before it, mean %s B over"
                                            + " the middle third, %s B over the last third: %s%%/h (limit %.0f%%/h); the state itself %s MiB and %s"
                                            + " MiB: %s%%/h, following the ingest rate%n",
                                    v.stateBounded() ? "yes" : "no",
                                    fmt(v.middleThirdBytesPerRecentEvent()),
                                    fmt(v.lastThirdBytesPerRecentEvent()),
                                    fmt(v.perRecentEventGrowthPctPerHour()),
                                    v.stateGrowthLimitPctPerHour(),
                                    fmt(v.middleThirdStateMiB()),
                                    fmt(v.lastThirdStateMiB()),
                                    fmt(v.stateGrowthPctPerHour())))
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "- heap after GC flat: %s — judged on the %s (limit %.0f MiB/h, least squares"
                                            + " over the last half): live set after full collections %s MiB/h (%d readings, %s → %s MiB, %d needed);"
                                            + " old generation after G1's collections %s MiB/h (%d collections in %d phases, %d phases needed)%n",
                                    v.heapFlat() ? "yes" : "no",
                                    v.heapJudgedOn(),
                                    v.heapSlopeLimitMiBPerHour(),
                                    fmt(v.liveHeapSlopeMiBPerHour()),
                                    v.liveHeapReadingsLastHalf(),
                                    fmt(v.liveHeapFirstMiB()),
                                    fmt(v.liveHeapLastMiB()),
                                    SoakBenchmark.MIN_LIVE_READINGS,
                                    fmt(v.heapSlopeMiBPerHour()),
                                    v.oldCollectionsLastHalf(),
                                    v.oldCollectionPhasesLastHalf(),
                                    SoakBenchmark.MIN_OLD_PHASES))
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "- every request answered: %s — %,d sent, %,d answered (%,d timed out at the deadline)%n",
                                    v.allAnswered() ? "yes" : "no",
                                    v.requestsSent(),
                                    v.requestsAnswered(),
                                    soak.timedOut()))
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "- no restarts: %s — %d restarts, job %s at the end%n%n",
                                    v.noRestarts() ? "yes" : "no",
                                    v.restarts(),
                                    v.jobStatusAtEnd()))
                    .append(
                            "State: the full size of the latest completed checkpoint. Old gen after GC: the old generation's collection"
                                    + " usage (JMX), refreshed by each old-generation collection (old GCs: how many in the interval); heap floor:"
                                    + " the lowest heap in use after any collection in the interval; live set: heap in use right after the full"
                                    + " collection the benchmark asked for at the end of the interval (its pause shows in the next one). Latency and answered/s by the interval in"
                                    + " which the request entered the job. Behind: events emitted but not yet applied.\n\n")
                    .append(soakTable());
        }
        if (surge != null) {
            md.append(SurgeReport.markdown(surge));
        }
        Files.writeString(dir.resolve("bench.md"), md.toString());
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("bench.json").toFile(), json);
        System.setProperty("java.awt.headless", "true");
        if (!stepLatencies.isEmpty()) {
            latencyChart(dir.resolve("latency.png"));
        }
        if (!ingest.isEmpty() || requests != null) {
            throughputChart(dir.resolve("throughput.png"));
        }
        if (soak != null) {
            soakChart(dir.resolve("soak.png"));
        }
        if (surge != null) {
            SurgeReport.chart(surge, dir.resolve("surge.png"));
        }
    }

    private void latencyChart(Path file) throws IOException {
        XYChart c =
                new XYChartBuilder()
                        .width(900)
                        .height(500)
                        .title("Request latency by percentile")
                        .xAxisTitle("percentile (x = -log10(1 - p): 1 = p90, 2 = p99, 3 = p99.9)")
                        .yAxisTitle("ms")
                        .build();
        double[] ps = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
        for (int i = 0; i < stepLatencies.size(); i++) {
            Histogram h = stepLatencies.get(i);
            if (h.getTotalCount() == 0) {
                continue;
            }
            double[] x = new double[ps.length], y = new double[ps.length];
            for (int j = 0; j < ps.length; j++) {
                x[j] = -Math.log10(1 - ps[j] / 100);
                y[j] = h.getValueAtPercentile(ps[j]) / 1000.0;
            }
            c.addSeries(stepNames.get(i), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private void throughputChart(Path file) throws IOException {
        XYChart c =
                new XYChartBuilder()
                        .width(900)
                        .height(500)
                        .title("Throughput over time")
                        .xAxisTitle("seconds since start")
                        .yAxisTitle("per second")
                        .build();
        for (IngestBenchmark.Result r : ingest) {
            add(c, "events/s, " + r.source(), r.series().rates());
        }
        if (requests != null) {
            add(c, "answers/s (requests run)", requests.answers().rates());
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * The soak over time, six panels: state, heap, latency, checkpoint duration, events/s,
     * answers/s.
     */
    private void soakChart(Path file) throws IOException {
        List<SoakBenchmark.Sample> xs = soak.samples();
        double[] t = xs.stream().mapToDouble(x -> x.seconds / 60).toArray();
        XYChart state = panel("State: latest completed checkpoint (MiB)", "MiB");
        series(
                state,
                "state size",
                t,
                xs.stream()
                        .mapToDouble(x -> x.stateBytes < 0 ? Double.NaN : x.stateBytes / 1048576.0)
                        .toArray());
        XYChart heap = panel("Heap after GC (MiB)", "MiB");
        series(
                heap,
                "old gen after its last collection",
                t,
                xs.stream()
                        .mapToDouble(
                                x ->
                                        x.heapAfterGcBytes < 0
                                                ? Double.NaN
                                                : x.heapAfterGcBytes / 1048576.0)
                        .toArray());
        series(
                heap,
                "lowest heap after any GC in the interval",
                t,
                xs.stream()
                        .mapToDouble(
                                x ->
                                        x.heapFloorBytes < 0
                                                ? Double.NaN
                                                : x.heapFloorBytes / 1048576.0)
                        .toArray());
        List<SoakBenchmark.Sample> live = xs.stream().filter(x -> x.liveHeapBytes >= 0).toList();
        if (!live.isEmpty()) {
            series(
                    heap,
                    "live set (after a full collection)",
                    live.stream().mapToDouble(x -> x.seconds / 60).toArray(),
                    live.stream().mapToDouble(x -> x.liveHeapBytes / 1048576.0).toArray());
        }
        XYChart latency = panel("Request latency (ms)", "ms");
        series(latency, "p50", t, xs.stream().mapToDouble(x -> x.p50Ms).toArray());
        series(latency, "p99", t, xs.stream().mapToDouble(x -> x.p99Ms).toArray());
        XYChart checkpoints = panel("Checkpoint duration (ms)", "ms");
        series(
                checkpoints,
                "longest in the interval",
                t,
                xs.stream()
                        .mapToDouble(x -> x.checkpointMs < 0 ? Double.NaN : x.checkpointMs)
                        .toArray());
        XYChart events = panel("Events applied per second", "events/s");
        series(events, "events/s", t, xs.stream().mapToDouble(x -> x.eventsPerSecond).toArray());
        XYChart answers = panel("Requests answered per second", "answers/s");
        series(
                answers,
                "answered/s",
                t,
                xs.stream().mapToDouble(x -> x.answeredPerSecond).toArray());
        XYChart[] panels = {state, heap, latency, checkpoints, events, answers};
        BufferedImage img = new BufferedImage(2 * PANEL_W, 3 * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < panels.length; i++) {
            g.drawImage(
                    BitmapEncoder.getBufferedImage(panels[i]),
                    (i % 2) * PANEL_W,
                    (i / 2) * PANEL_H,
                    null);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static final int PANEL_W = 600, PANEL_H = 300;

    private static XYChart panel(String title, String unit) {
        XYChart c =
                new XYChartBuilder()
                        .width(PANEL_W)
                        .height(PANEL_H)
                        .title(title)
                        .xAxisTitle("minutes")
                        .yAxisTitle(unit)
                        .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return c;
    }

    /** A line over time; NaN points (nothing measured yet) are left out. */
    private static void series(XYChart c, String name, double[] t, double[] y) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(y[i])) {
                points.add(new double[] {t[i], y[i]});
            }
        }
        add(c, name, points);
    }

    private static void add(XYChart c, String name, List<double[]> points) {
        if (points.isEmpty()) {
            return;
        }
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray(),
                y = points.stream().mapToDouble(p -> p[1]).toArray();
        c.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
