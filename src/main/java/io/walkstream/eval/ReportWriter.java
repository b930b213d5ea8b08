package io.walkstream.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** Writes {@code report.md}, {@code report.json} and {@code report.png} into the output folder. */
public final class ReportWriter {
    public static final String MARKDOWN = "report.md", JSON = "report.json", CHART = "report.png";

    private ReportWriter() {}

    public static void write(EvalReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKDOWN), markdown(report));
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(JSON).toFile(), report);
        chart(report, dir.resolve(CHART));
    }

    // A long list, not phases: the report's sections and tables in the order they are read.
    @SuppressWarnings("checkstyle:MethodLength")
    static String markdown(EvalReport r) {
        List<Integer> ks = new ArrayList<>(r.methods().get(0).hitRate().keySet());
        StringBuilder b = new StringBuilder("# walkstream evaluation\n\n");
        r.parameters()
                .forEach(
                        (k, v) -> {
                            if (v != null) {
                                b.append("- ").append(k).append(": `").append(v).append("`\n");
                            }
                        });
        r.data()
                .forEach(
                        (k, v) -> {
                            if (!Set.of("malformedExamples", "tuning", "notes").contains(k)) {
                                b.append("- ").append(k).append(": ").append(v).append('\n');
                            }
                        });
        b.append("\n| method |");
        for (int k : ks) {
            b.append(" HR@")
                    .append(k)
                    .append(" | NDCG@")
                    .append(k)
                    .append(" | Recall@")
                    .append(k)
                    .append(" |");
        }
        b.append(
                " MRR | coverage | mean pop. | partial | latency p50/p95/p99 ms | run time s |\n|---|");
        b.append("---|".repeat(3 * ks.size() + 6)).append('\n');
        for (MethodResult m : r.methods()) {
            b.append("| ").append(m.method()).append(" |");
            for (int k : ks) {
                b.append(f(m.hitRate().get(k)))
                        .append(" |")
                        .append(f(m.ndcg().get(k)))
                        .append(" |")
                        .append(f(m.recall().get(k)))
                        .append(" |");
            }
            b.append(f(m.mrr()))
                    .append(" |")
                    .append(f(m.catalogueCoverage()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", m.meanPopularity()))
                    .append(" | ")
                    .append(m.partialShare() == null ? "–" : f(m.partialShare()).trim())
                    .append(" | ")
                    .append(
                            m.latencyMs() == null
                                    ? "–"
                                    : m.latencyMs().get("p50")
                                            + "/"
                                            + m.latencyMs().get("p95")
                                            + "/"
                                            + m.latencyMs().get("p99"))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", m.runtimeMs() / 1000.0))
                    .append(" |\n");
        }
        b.append(
                "\nwalkstream's figures come from the real Flink dataflow (replay, then requests); the other rows are"
                        + " baselines computed by the harness on the same split. "
                        + visibility(r)
                        + " Latency is the job's request latency:"
                        + " with END_OF_INPUT alignment every request waits for the end of the replay, so it measures the replay, not"
                        + " the walk. Run time: walkstream = the whole job (replay and answers); baselines = building the model and scoring all requests."
                        + " \"recent seeds h\": exact RP3β whose first step weighs the user's items by recency as the engine's"
                        + " walk.seedHalfLife does (the k-th most recent item 2^(-k/h)), the walk's exact, sampling-free counterpart."
                        + " markov: transitions i → j counted from each of the m items before j in every training sequence (weight 1/k"
                        + " or 2^-(k-1) at distance k, optionally row-normalised), scored from the user's last L items weighted 2^(-k/h)."
                        + " EASE: Steck's closed-form item-item model, B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹ (recency-weighted"
                        + " rows: the user's k-th most recent item weighs 2^(-k/h)). Markov's and EASE's settings are chosen on a"
                        + " validation split (each user's last training interaction held out), never on the test items; their run"
                        + " time includes that tuning and the fit.\n");
        coldItems(r, b);
        if (r.data().get("tuning") instanceof Map<?, ?> tuning && !tuning.isEmpty()) {
            b.append("\n## Validation (tuning)\n\n");
            tuning.forEach(
                    (method, facts) -> {
                        if (facts instanceof Map<?, ?> f) {
                            int tried = f.get("grid") instanceof List<?> g ? g.size() : 0;
                            b.append("- ")
                                    .append(method)
                                    .append(": chose `")
                                    .append(f.get("chosen"))
                                    .append("` of ")
                                    .append(tried)
                                    .append(
                                            " settings (every setting's validation figures: report.json → data.tuning)\n");
                        }
                    });
        }
        if (r.data().get("notes") instanceof List<?> notes && !notes.isEmpty()) {
            b.append("\n## Notes\n\n");
            for (Object n : notes) {
                b.append("- ").append(n).append('\n');
            }
        }
        b.append(String.format(Locale.ROOT, "\nTotal %.1f s.%n", r.totalMs() / 1000.0));
        return b.toString();
    }

    /**
     * Hit rate on the test items that appear only in the test period (no training interaction):
     * what cold-start vectors (from attributes) and the walk's attribute edges can reach.
     */
    private static void coldItems(EvalReport r, StringBuilder b) {
        int cold = r.methods().stream().mapToInt(MethodResult::coldRequests).max().orElse(0);
        if (cold == 0) {
            return;
        }
        b.append("\n## Cold test items\n\n")
                .append(cold)
                .append(
                        " requests held out an item without any training interaction; HR@10 here counts"
                                + " a hit only when such an item is in the top 10.\n\n")
                .append("| method | requests | HR@10 on cold items |\n|---|---|---|\n");
        for (MethodResult m : r.methods()) {
            b.append("| ")
                    .append(m.method())
                    .append(" | ")
                    .append(m.coldRequests())
                    .append(" |")
                    .append(m.coldHitRate() == null ? " –" : f(m.coldHitRate()))
                    .append(" |\n");
        }
    }

    /** What walkstream's requests saw, against the baselines' whole training set. */
    private static String visibility(EvalReport r) {
        return String.valueOf(r.parameters().get("requestTime")).startsWith("end")
                ? "Walkstream's requests are asked at the end of training and see every training event, as the"
                        + " baselines do."
                : "Walkstream's requests see only events stamped at or before the test timestamp; the baselines see"
                        + " the whole training set, later events included (--request-time end compares like for like).";
    }

    private static String f(double x) {
        return String.format(Locale.ROOT, " %.4f", x);
    }

    static void chart(EvalReport r, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(900)
                        .height(500)
                        .title("walkstream vs baselines (" + r.parameters().get("protocol") + ")")
                        .xAxisTitle("metric")
                        .yAxisTitle("value")
                        .build();
        List<String> labels = new ArrayList<>();
        for (int k : r.methods().get(0).hitRate().keySet()) {
            labels.add("HR@" + k);
            labels.add("NDCG@" + k);
        }
        for (MethodResult m : r.methods()) {
            List<Double> values = new ArrayList<>();
            for (int k : m.hitRate().keySet()) {
                values.add(m.hitRate().get(k));
                values.add(m.ndcg().get(k));
            }
            chart.addSeries(m.method(), labels, values);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
