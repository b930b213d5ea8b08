package io.walkstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A benchmark run's figures: a table for the terminal and {@code bench.md}, everything in
 * {@code bench.json}, and charts ({@code latency.png}: latency by percentile per request rate;
 * {@code throughput.png}: events/s and answers/s over time).
 */
public final class BenchReport {
    public final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> rows = new ArrayList<>();
    private final List<IngestBenchmark.Result> ingest = new ArrayList<>();
    private RequestBenchmark.Result requests;
    private final List<Histogram> stepLatencies = new ArrayList<>();
    private final List<String> stepNames = new ArrayList<>();

    public BenchReport(Map<String, Object> parameters) {
        json.put("machine", Machine.describe());
        json.put("parameters", parameters);
    }

    public void add(String backend, IngestBenchmark.Result r, Double target) {
        ingest.add(r);
        json.put("ingest-" + backend + (r.source().startsWith("Kafka") ? "-kafka" : ""), Map.of(
                "source", r.source(), "backend", backend, "events", r.events(), "seconds", round(r.seconds()),
                "eventsPerSecond", Math.round(r.eventsPerSecond()), "steadyEventsPerSecond", Math.round(r.steadyEventsPerSecond()),
                "cpuMicrosPerEvent", round(r.cpuMicrosPerEvent())));
        rows.add(row("ingest, " + r.source() + ", " + backend, String.format(Locale.ROOT, "%,.0f events/s (steady %,.0f; %,d in %.1f s; %.1f µs CPU per event)",
                r.eventsPerSecond(), r.steadyEventsPerSecond(), r.events(), r.seconds(), r.cpuMicrosPerEvent()),
                target == null ? "" : String.format(Locale.ROOT, "≥ %,.0f", target), target == null ? null : r.steadyEventsPerSecond() >= target));
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
            rows.add(row(String.format(Locale.ROOT, "requests at %,.0f/s", s.offeredPerSecond()),
                    String.format(Locale.ROOT, "%,.0f/s answered, p50 %.0f / p99 %.0f / p99.9 %.0f ms, partial %.1f%%, timed out %.1f%%, %.2f cores busy",
                            s.answeredPerSecond(), s.p50Ms(), s.p99Ms(), s.p999Ms(), 100 * s.partialShare(), 100 * s.timedOutShare(),
                            s.coresBusy()), "", null));
        }
        RequestBenchmark.Cost cost = r.cost();
        Map<String, Object> costJson = new LinkedHashMap<>();
        for (int i = 0; i < RequestBenchmark.Cost.STEPS.length; i++) {
            costJson.put(RequestBenchmark.Cost.STEPS[i], Map.of("messages", round(cost.messages()[i]), "records", round(cost.records()[i])));
        }
        json.put("requests", Map.of("walkers", r.walkers(), "ingestPerSecond", r.ingestPerSecond(), "p99TargetMs", r.p99TargetMs(),
                "steps", steps, "sustainedPerSecond", r.sustainedPerSecond(), "costPerRequest", costJson));
        rows.add(row("request cost (per answer)", String.format(Locale.ROOT,
                "walker groups / inputs into Item %,.0f, Context %,.0f, Score %,.0f, Rank %,.0f; records crossing a shuffle %,.1f, %,.1f, %,.1f, %,.1f",
                cost.messages()[0], cost.messages()[1], cost.messages()[2], cost.messages()[3],
                cost.records()[0], cost.records()[1], cost.records()[2], cost.records()[3]), "", null));
        rows.add(row("requests sustained (p99 ≤ " + (int) r.p99TargetMs() + " ms)", String.format(Locale.ROOT,
                "%,.0f requests/s, %d walkers, %,.0f events/s ingest", r.sustainedPerSecond(), r.walkers(), r.ingestPerSecond()),
                "≥ 750", r.sustainedPerSecond() >= 750));
        for (int i = 0; i < perStep.size(); i++) {
            stepLatencies.add(perStep.get(i));
            stepNames.add(String.format(Locale.ROOT, "%,.0f req/s", r.steps().get(i).offeredPerSecond()));
        }
    }

    public void add(FreshnessBenchmark.Result r) {
        json.put("freshness", Map.of("probes", r.probes(), "seen", r.seen(), "probeAnswers", r.probeAnswers(), "p50Ms", r.p50Ms(), "p90Ms", r.p90Ms(),
                "p99Ms", r.p99Ms(), "maxMs", r.maxMs(), "meanResolutionMs", round(r.meanResolutionMs())));
        rows.add(row("freshness (interaction → visible to walks)", String.format(Locale.ROOT,
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
        rows.add(row("memory (heap state, all steps)", String.format(Locale.ROOT,
                "%.1f B per stored edge, %.0f B per node (%,d MiB for %,d edges, %,d nodes)", r.bytesPerEdge(), r.bytesPerNode(),
                r.stateBytes() >> 20, r.edgesStored(), r.nodes()), "≤ 60 B/edge", r.bytesPerEdge() <= 60));
    }

    private static String row(String what, String figure, String target, Boolean met) {
        return "| " + what + " | " + figure + " | " + target + " | " + (met == null ? "" : met ? "met" : "**not met**") + " |";
    }

    public String table() {
        StringBuilder b = new StringBuilder("| scenario | measured | target | |\n|---|---|---|---|\n");
        rows.forEach(r -> b.append(r).append('\n'));
        return b.toString();
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder("# walkstream benchmark\n\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) json.get("machine");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        ((Map<?, ?>) json.get("parameters")).forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
        md.append('\n').append(table());
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
