package io.walkstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A benchmark run's figures: a table for the terminal and {@code bench.md}, everything in
 * {@code bench.json}, and charts ({@code latency.png}: latency by percentile per request rate;
 * {@code throughput.png}: events/s and answers/s over time).
 *
 * <p>When the run measured the in-process reference ({@link ReferenceBenchmark}), every walkstream
 * figure — ingest events/s, each step's p99, the sustained and the peak answered requests/s — is
 * also given as a ratio to the reference's figure: walkstream ÷ reference, the reference's ingest
 * on 1 thread, its requests on as many threads as the job's parallelism (at most 2). A rate below 1×
 * is slower than the reference; a latency above 1× is slower too. Ratios are computed when the report
 * is printed or written, so the reference may be added before or after the job's figures.
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

    /** @param parallelism the job's: the reference's requests are compared at this many threads (at most 2) */
    public BenchReport(Map<String, Object> parameters, int parallelism) {
        json.put("machine", Machine.describe());
        json.put("parameters", parameters);
        this.parallelism = parallelism;
    }

    public void add(ReferenceBenchmark.Result r) {
        reference = r;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", "the same shop and walk in plain arrays in this JVM, no Flink (bench/ReferenceGraph, bench/ReferenceWalk);"
                + " embedding similarity, trending, dislikes, follows and state expiry left out");
        if (r.ingest() != null) {
            m.put("ingest", Map.of("threads", 1, "events", r.ingest().events(), "seconds", round(r.ingest().seconds()),
                    "eventsPerSecond", Math.round(r.ingest().eventsPerSecond()), "cpuMicrosPerEvent", round(r.ingest().cpuMicrosPerEvent())));
            rows.add(() -> row("reference: ingest, 1 thread", String.format(Locale.ROOT,
                    "%,.0f events/s (%,d appended in %.2f s, generating them not timed; %.2f µs CPU per event)", r.ingest().eventsPerSecond(),
                    r.ingest().events(), r.ingest().seconds(), r.ingest().cpuMicrosPerEvent()), "", null));
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
            rows.add(() -> row("reference: requests, " + q.threads() + (q.threads() == 1 ? " thread" : " threads"), String.format(Locale.ROOT,
                    "%,.0f/s answered (closed loop, %d walkers), p50 %.2f / p99 %.2f / max %.1f ms, %.2f ms CPU per answer; %.1f items per answer, %.1f%% empty",
                    q.perSecond(), r.walkers(), q.p50Ms(), q.p99Ms(), q.maxMs(), q.cpuMsPerAnswer(), q.meanItems(), 100 * q.emptyShare()), "", null));
        }
        if (!req.isEmpty()) {
            m.put("requests", req);
            m.put("graph", Map.of("events", r.graphEvents(), "nodes", r.nodes(), "ringEntries", r.ringEntries()));
            m.put("walkers", r.walkers());
            m.put("requestMix", r.requestMix());
        }
        json.put("reference", m);
    }

    /** The reference's requests at the job's thread count (at most the 2 it is measured on); null if not measured. */
    private ReferenceBenchmark.Requests referenceRequests() {
        return reference == null ? null : reference.at(Math.max(1, parallelism));
    }

    private ReferenceBenchmark.Ingest referenceIngest() {
        return reference == null ? null : reference.ingest();
    }

    /** A ratio, two significant digits below 10 ("0.042", "3.1"), whole above. */
    static String times(double ratio) {
        if (!Double.isFinite(ratio)) return "–";
        if (ratio >= 10) return String.format(Locale.ROOT, "%,.0f", ratio);
        if (ratio == 0) return "0";
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
        m.put("steadyEventsPerSecond", Math.round(r.steadyEventsPerSecond()));
        m.put("cpuMicrosPerEvent", round(r.cpuMicrosPerEvent()));
        json.put("ingest-" + backend + (r.source().startsWith("Kafka") ? "-kafka" : ""), m);
        String what = "ingest, " + r.source() + ", " + backend;
        ratioFields.add(() -> {
            ReferenceBenchmark.Ingest ref = referenceIngest();
            if (ref == null) return;
            m.put("vsReference", Map.of("eventsPerSecond", ratio(r.eventsPerSecond(), ref.eventsPerSecond()),
                    "steadyEventsPerSecond", ratio(r.steadyEventsPerSecond(), ref.eventsPerSecond()), "referenceThreads", 1));
            ratio(what + ": events/s", r.eventsPerSecond(), ref.eventsPerSecond(), 1);
        });
        rows.add(() -> {
            ReferenceBenchmark.Ingest ref = referenceIngest();
            return row(what, String.format(Locale.ROOT, "%,.0f events/s (steady %,.0f; %,d in %.1f s; %.1f µs CPU per event)%s",
                    r.eventsPerSecond(), r.steadyEventsPerSecond(), r.events(), r.seconds(), r.cpuMicrosPerEvent(),
                    ref == null ? "" : " — ingest " + times(r.eventsPerSecond() / ref.eventsPerSecond()) + "× reference (1 thread)"),
                    target == null ? "" : String.format(Locale.ROOT, "≥ %,.0f", target), target == null ? null : r.steadyEventsPerSecond() >= target);
        });
    }

    public void add(RequestBenchmark.Result r, List<Histogram> perStep) {
        requests = r;
        List<Map<String, Object>> steps = new ArrayList<>();
        for (RequestBenchmark.Step s : r.steps()) {
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
            steps.add(m);
            ratioFields.add(() -> {
                ReferenceBenchmark.Requests ref = referenceRequests();
                if (ref == null) return;
                m.put("p99VsReference", ratio(s.p99Ms(), ref.p99Ms()));
                ratio(String.format(Locale.ROOT, "requests at %,.0f/s: p99", s.offeredPerSecond()), s.p99Ms(), ref.p99Ms(), ref.threads());
            });
            rows.add(() -> {
                ReferenceBenchmark.Requests ref = referenceRequests();
                return row(String.format(Locale.ROOT, "requests at %,.0f/s", s.offeredPerSecond()),
                        String.format(Locale.ROOT, "%,.0f/s answered, p50 %.0f / p99 %.0f / p99.9 %.0f ms, partial %.1f%%, timed out %.1f%%, %.2f cores busy%s",
                                s.answeredPerSecond(), s.p50Ms(), s.p99Ms(), s.p999Ms(), 100 * s.partialShare(), 100 * s.timedOutShare(),
                                s.coresBusy(), ref == null ? "" : " — p99 " + times(s.p99Ms() / ref.p99Ms()) + "× reference (" + threads(ref.threads()) + ")"),
                        "", null);
            });
        }
        RequestBenchmark.Cost cost = r.cost();
        Map<String, Object> costJson = new LinkedHashMap<>();
        for (int i = 0; i < RequestBenchmark.Cost.STEPS.length; i++) {
            costJson.put(RequestBenchmark.Cost.STEPS[i], Map.of("messages", round(cost.messages()[i]), "records", round(cost.records()[i])));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("walkers", r.walkers());
        m.put("ingestPerSecond", r.ingestPerSecond());
        m.put("p99TargetMs", r.p99TargetMs());
        m.put("steps", steps);
        m.put("sustainedPerSecond", r.sustainedPerSecond());
        double peak = r.steps().stream().mapToDouble(RequestBenchmark.Step::answeredPerSecond).max().orElse(0);
        m.put("peakAnsweredPerSecond", round(peak));
        m.put("costPerRequest", costJson);
        json.put("requests", m);
        RequestBenchmark.Step atSustained = r.steps().stream().filter(RequestBenchmark.Step::sustained)
                .filter(x -> x.offeredPerSecond() == r.sustainedPerSecond()).findFirst().orElse(null);
        ratioFields.add(() -> {
            ReferenceBenchmark.Requests ref = referenceRequests();
            if (ref == null) return;
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("sustainedPerSecond", ratio(r.sustainedPerSecond(), ref.perSecond()));
            v.put("peakAnsweredPerSecond", ratio(peak, ref.perSecond()));
            if (atSustained != null) v.put("p99AtSustained", ratio(atSustained.p99Ms(), ref.p99Ms()));
            v.put("referenceThreads", ref.threads());
            m.put("vsReference", v);
            ratio("requests sustained: requests/s", r.sustainedPerSecond(), ref.perSecond(), ref.threads());
            ratio("requests: peak answered/s", peak, ref.perSecond(), ref.threads());
            if (atSustained != null) ratio("requests sustained: p99", atSustained.p99Ms(), ref.p99Ms(), ref.threads());
        });
        rows.add(() -> row("request cost (per answer)", String.format(Locale.ROOT,
                "walker groups / inputs into Item %,.0f, Context %,.0f, Score %,.0f, Rank %,.0f; records crossing a shuffle %,.1f, %,.1f, %,.1f, %,.1f",
                cost.messages()[0], cost.messages()[1], cost.messages()[2], cost.messages()[3],
                cost.records()[0], cost.records()[1], cost.records()[2], cost.records()[3]), "", null));
        rows.add(() -> {
            ReferenceBenchmark.Requests ref = referenceRequests();
            String vs = ref == null ? "" : String.format(Locale.ROOT, " — requests %s× reference (%s)%s; peak %,.0f/s answered: %s× reference",
                    times(r.sustainedPerSecond() / ref.perSecond()), threads(ref.threads()),
                    atSustained == null ? "" : ", p99 " + times(atSustained.p99Ms() / ref.p99Ms()) + "×", peak, times(peak / ref.perSecond()));
            return row("requests sustained (p99 ≤ " + (int) r.p99TargetMs() + " ms)", String.format(Locale.ROOT,
                    "%,.0f requests/s, %d walkers, %,.0f events/s ingest%s", r.sustainedPerSecond(), r.walkers(), r.ingestPerSecond(), vs),
                    "≥ 750", r.sustainedPerSecond() >= 750);
        });
        for (int i = 0; i < perStep.size(); i++) {
            stepLatencies.add(perStep.get(i));
            stepNames.add(String.format(Locale.ROOT, "%,.0f req/s", r.steps().get(i).offeredPerSecond()));
        }
    }

    public void add(FreshnessBenchmark.Result r) {
        json.put("freshness", Map.of("probes", r.probes(), "seen", r.seen(), "probeAnswers", r.probeAnswers(), "p50Ms", r.p50Ms(), "p90Ms", r.p90Ms(),
                "p99Ms", r.p99Ms(), "maxMs", r.maxMs(), "meanResolutionMs", round(r.meanResolutionMs())));
        rows.add(() -> row("freshness (interaction → visible to walks)", String.format(Locale.ROOT,
                "p50 %.0f / p99 %.0f / max %.0f ms (%d of %d probes seen, resolution ~%.1f ms)",
                r.p50Ms(), r.p99Ms(), r.maxMs(), r.seen(), r.probes(), r.meanResolutionMs()), "p99 ≤ 100 ms",
                r.seen() == r.probes() && r.p99Ms() <= 100));
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
        rows.add(() -> row("memory (heap state, all steps)", String.format(Locale.ROOT,
                "%.1f B per stored edge, %.0f B per node (%,d MiB for %,d edges, %,d nodes)", r.bytesPerEdge(), r.bytesPerNode(),
                r.stateBytes() >> 20, r.edgesStored(), r.nodes()), "≤ 60 B/edge", r.bytesPerEdge() <= 60));
    }

    private static String row(String what, String figure, String target, Boolean met) {
        return "| " + what + " | " + figure + " | " + target + " | " + (met == null ? "" : met ? "met" : "**not met**") + " |";
    }

    public String table() {
        StringBuilder b = new StringBuilder("| scenario | measured | target | |\n|---|---|---|---|\n");
        rows.forEach(r -> b.append(r.get()).append('\n'));
        return b.toString();
    }

    /** walkstream ÷ reference, rounded to 4 significant digits (null when the reference figure is not positive). */
    private static Double ratio(double walkstream, double reference) {
        if (!(reference > 0) || !Double.isFinite(walkstream)) return null;
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
        if (reference != null) json.put("vsReference", ratioList);
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        fillRatios();
        StringBuilder md = new StringBuilder("# walkstream benchmark\n\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) json.get("machine");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        ((Map<?, ?>) json.get("parameters")).forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
        md.append('\n').append(table());
        if (reference != null) {
            md.append("\nRatios: walkstream ÷ the in-process reference measured in this run (the same shop and walk in plain arrays,"
                    + " no Flink; embedding similarity left out): its ingest on 1 thread, its requests in a closed loop on ")
                    .append(threads(Math.min(2, Math.max(1, parallelism))))
                    .append(" (the job's parallelism, at most 2). Below 1× a rate is slower than the reference; above 1× a latency is.\n");
        }
        Files.writeString(dir.resolve("bench.md"), md.toString());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("bench.json").toFile(), json);
        System.setProperty("java.awt.headless", "true");
        if (!stepLatencies.isEmpty()) latencyChart(dir.resolve("latency.png"));
        if (!ingest.isEmpty() || requests != null) throughputChart(dir.resolve("throughput.png"));
    }

    private void latencyChart(Path file) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(500).title("Request latency by percentile")
                .xAxisTitle("percentile (x = -log10(1 - p): 1 = p90, 2 = p99, 3 = p99.9)").yAxisTitle("ms").build();
        double[] ps = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
        for (int i = 0; i < stepLatencies.size(); i++) {
            Histogram h = stepLatencies.get(i);
            if (h.getTotalCount() == 0) continue;
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
        XYChart c = new XYChartBuilder().width(900).height(500).title("Throughput over time")
                .xAxisTitle("seconds since start").yAxisTitle("per second").build();
        for (IngestBenchmark.Result r : ingest) add(c, "events/s, " + r.source(), r.series().rates());
        if (requests != null) add(c, "answers/s (requests run)", requests.answers().rates());
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart c, String name, List<double[]> points) {
        if (points.isEmpty()) return;
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray(), y = points.stream().mapToDouble(p -> p[1]).toArray();
        c.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
