package io.walkstream.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The surge scenario's part of the report: JSON, table rows, a per-second table, a chart. */
final class SurgeReport {
    /** One row of the report's table. */
    record Row(String what, String figure, String target, boolean met) {}

    private SurgeReport() {}

    static Map<String, Object> json(SurgeBenchmark.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("baseRatePerSecond", r.baseRate());
        m.put("admissionRatePerSecond", r.admissionRate());
        m.put("deadlineMs", r.deadlineMs());
        m.put("p99TargetMs", r.p99TargetMs());
        m.put("phasesSeconds", r.phases());
        m.put("scheduled", r.scheduled());
        m.put("requests", r.requests());
        m.put("answered", r.answered());
        m.put("shed", r.shed());
        m.put("unanswered", r.unanswered());
        m.put("surgeAdmittedPerSecond", r.surgeAdmittedPerSecond());
        m.put("surgeShedPerSecond", r.surgeShedPerSecond());
        m.put("surgeAdmittedP99Ms", r.surgeAdmittedP99Ms());
        m.put("beforeP99Ms", r.beforeP99Ms());
        m.put("afterP99Ms", r.afterP99Ms());
        m.put(
                "recoverySeconds",
                Double.isFinite(r.recoverySeconds()) ? r.recoverySeconds() : "never");
        m.put("seconds", r.seconds());
        return m;
    }

    static List<Row> rows(SurgeBenchmark.Result r) {
        return List.of(
                new Row(
                        "surge (2× the base rate for " + r.phases().surge() + " s): admitted",
                        String.format(
                                Locale.ROOT,
                                "%.0f/s admitted at p99 %.0f ms, %.0f/s shed (scheduled %.0f/s, admission at %.0f/s)",
                                r.surgeAdmittedPerSecond(),
                                r.surgeAdmittedP99Ms(),
                                r.surgeShedPerSecond(),
                                2 * r.baseRate(),
                                r.admissionRate()),
                        "p99 ≤ the deadline (" + r.deadlineMs() + " ms)",
                        r.withinDeadline()),
                new Row(
                        "surge: every request answered",
                        String.format(
                                Locale.ROOT,
                                "%,d requests (of %,d scheduled: the job's back-pressure slows its own source), %,d answers (%,d shed), %,d unanswered",
                                r.requests(),
                                r.scheduled(),
                                r.answered(),
                                r.shed(),
                                r.unanswered()),
                        "none unanswered",
                        r.unanswered() == 0),
                new Row(
                        "surge: recovery",
                        String.format(
                                        Locale.ROOT,
                                        Double.isFinite(r.recoverySeconds())
                                                ? "p99 under %1$.0f ms from %2$.0f s after the surge;"
                                                : "p99 not back under %1$.0f ms for good before the run ended;",
                                        r.p99TargetMs(),
                                        r.recoverySeconds())
                                + String.format(
                                        Locale.ROOT,
                                        " p99 %.0f ms at the base rate before it, %.0f ms from 5 s after it;"
                                                + " a checkpoint ran in %d of the %d seconds after it",
                                        r.beforeP99Ms(),
                                        r.afterP99Ms(),
                                        checkpointingAfter(r),
                                        r.phases().after()),
                        "within 5 s",
                        r.recovered()));
    }

    private static long checkpointingAfter(SurgeBenchmark.Result r) {
        int from = r.phases().before() + r.phases().surge();
        return r.seconds().stream().skip(from).filter(SurgeBenchmark.Second::checkpointing).count();
    }

    /** A section for bench.md: the phases, then every second. */
    static String markdown(SurgeBenchmark.Result r) {
        SurgeBenchmark.Phases p = r.phases();
        StringBuilder md =
                new StringBuilder("\n## Surge\n\n")
                        .append(
                                String.format(
                                        Locale.ROOT,
                                        "%.0f requests/s for %d s (after %d s of warm-up, not shown), %.0f/s for %d s, %.0f/s for %d s;"
                                                + " admission at %.0f/s (`walk.maxRequestsPerSecond`), deadline %d ms. Per second, by when"
                                                + " the request entered the job; latency of the admitted ones. Chart: `surge.png`.%n%n",
                                        r.baseRate(),
                                        p.before(),
                                        p.warm(),
                                        2 * r.baseRate(),
                                        p.surge(),
                                        r.baseRate(),
                                        p.after(),
                                        r.admissionRate(),
                                        r.deadlineMs()))
                        .append(
                                "| second | scheduled/s | emitted | admitted | shed | p50 ms | p99 ms | checkpoint |\n|---|---|---|---|---|---|---|---|\n");
        for (SurgeBenchmark.Second s : r.seconds()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %.0f | %d | %d | %d | %.0f | %.0f | %s |%n",
                            s.second(),
                            s.scheduled(),
                            s.emitted(),
                            s.admitted(),
                            s.shed(),
                            s.p50Ms(),
                            s.p99Ms(),
                            s.checkpointing() ? "running" : ""));
        }
        return md.toString();
    }

    /** Admitted and shed answers per second, and the admitted p99, over the run. */
    static void chart(SurgeBenchmark.Result r, Path file) throws IOException {
        XYChart c =
                new XYChartBuilder()
                        .width(900)
                        .height(500)
                        .title("Surge: answers per second and p99")
                        .xAxisTitle("seconds")
                        .yAxisTitle("answers/s")
                        .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        List<SurgeBenchmark.Second> xs = r.seconds();
        double[] t = xs.stream().mapToDouble(SurgeBenchmark.Second::second).toArray();
        line(
                c,
                "scheduled/s",
                t,
                xs.stream().mapToDouble(SurgeBenchmark.Second::scheduled).toArray());
        line(c, "emitted", t, xs.stream().mapToDouble(SurgeBenchmark.Second::emitted).toArray());
        line(c, "admitted", t, xs.stream().mapToDouble(SurgeBenchmark.Second::admitted).toArray());
        line(c, "shed", t, xs.stream().mapToDouble(SurgeBenchmark.Second::shed).toArray());
        double[] p99 =
                xs.stream().mapToDouble(s -> Double.isFinite(s.p99Ms()) ? s.p99Ms() : 0).toArray();
        c.addSeries("admitted p99 (ms, right axis)", t, p99)
                .setMarker(SeriesMarkers.NONE)
                .setYAxisGroup(1);
        c.setYAxisGroupTitle(1, "ms");
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void line(XYChart c, String name, double[] t, double[] y) {
        c.addSeries(name, t, y).setMarker(SeriesMarkers.NONE);
    }
}
