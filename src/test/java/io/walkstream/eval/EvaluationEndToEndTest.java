package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkstream.gen.DatasetFormat;
import io.walkstream.io.VectorsFile;
import io.walkstream.testing.Clusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny generated log with four taste clusters (each user rates 8 of its cluster's 15 items),
 * evaluated end to end through the real job: the walk stays inside the cluster, so walkstream must
 * find the held-out item far more often than the global most-popular list.
 */
class EvaluationEndToEndTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    @TempDir Path dir;

    static Path clusteredLog(Path dir) throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        List<String> lines = new ArrayList<>();
        long day = 86_400_000L;
        for (int u = 0; u < 80; u++) {
            int cluster = u % 4;
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                items.add(cluster * 15 + i);
            }
            for (int n = 0; n < 8; n++) {
                int item = items.remove(rnd.nextInt(items.size()));
                lines.add(
                        "u"
                                + u
                                + ",i"
                                + item
                                + ",view,"
                                + (1_600_000_000_000L + rnd.nextInt(30) * day + n));
            }
        }
        lines.add("broken,line");
        Path file = dir.resolve("clusters.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void evaluatesThroughTheJobAndWritesTheReport() throws Exception {
        EvalSettings s =
                new EvalSettings(
                        clusteredLog(dir),
                        DatasetFormat.CSV,
                        Protocol.LEAVE_LAST_OUT,
                        null,
                        null,
                        List.of(5, 10),
                        42,
                        0,
                        0.8,
                        false,
                        1.0,
                        0.5,
                        null,
                        Map.of("walk.walkers", "2000"));
        EvalReport report = Evaluation.run(s);
        Path out = dir.resolve("out");
        ReportWriter.write(report, out);

        assertThat(out.resolve("report.md")).isNotEmptyFile();
        assertThat(out.resolve("report.png")).isNotEmptyFile();
        assertThat(Files.readAllBytes(out.resolve("report.png"))).startsWith(0x89, 'P', 'N', 'G');
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(json.at("/data/malformedLines").asInt()).isEqualTo(1);
        assertThat(json.at("/data/testRequests").asInt()).isEqualTo(80);
        // walkstream, 3 baselines, exact RP3β with the walk's recency-weighted seeds, markov, EASE
        // and its two recency variants, BPR-MF
        assertThat(json.at("/methods")).hasSize(10);
        assertThat(json.at("/methods/4/method").asText())
                .isEqualTo("exact RP3β (α=1.0, β=0.5, recent seeds h=2.0)");
        assertThat(json.at("/methods/5/method").asText()).startsWith("markov (m=");
        assertThat(json.at("/methods/6/method").asText()).startsWith("EASE (λ=");
        assertThat(json.at("/methods/7/method").asText())
                .startsWith("EASE (λ=")
                .endsWith("recent user row h=2");
        assertThat(json.at("/methods/8/method").asText())
                .startsWith("EASE, recency-weighted rows (λ=");
        assertThat(json.at("/methods/9/method").asText()).startsWith("BPR-MF (d 64, ");
        assertThat(json.at("/data/tuning/bprMf/chosenEpochs").asInt()).isPositive();
        assertThat(json.at("/data/tuning/markov/grid"))
                .hasSize(Tuning.markovGrid().size() + Tuning.MARKOV_TWO_STEP_SHARES.length);
        assertThat(json.at("/data/tuning/ease/grid")).hasSize(Tuning.EASE_LAMBDAS.length);
        assertThat(json.at("/data/validationRequests").asInt()).isPositive();
        assertThat(Files.readString(out.resolve("report.md")))
                .contains("## Validation (tuning)")
                .contains("- markov: chose `m=");
        assertThat(json.at("/engineConfig/walk/alignment").asText()).isEqualTo("END_OF_INPUT");

        for (MethodResult m : report.methods()) {
            assertThat(m.requests()).isEqualTo(80);
            for (double v :
                    List.of(
                            m.hitRate().get(10),
                            m.ndcg().get(10),
                            m.recall().get(10),
                            m.mrr(),
                            m.catalogueCoverage())) {
                assertThat(v).isBetween(0.0, 1.0);
            }
            assertThat(m.hitRate().get(5)).isLessThanOrEqualTo(m.hitRate().get(10));
        }
        MethodResult walk = report.method("walkstream"), pop = report.method("most popular");
        assertThat(walk.partialShare()).isBetween(0.0, 1.0);
        assertThat(walk.latencyMs()).containsKeys("p50", "p95", "p99");
        assertThat(walk.hitRate().get(10))
                .isGreaterThan(0.9)
                .isGreaterThan(pop.hitRate().get(10) + 0.3);
        assertThat(report.method("exact RP3").hitRate().get(10)).isGreaterThan(0.9);
        assertThat(Files.readString(out.resolve("report.md")))
                .contains("| walkstream |", "| most popular |", "HR@10");
    }

    @Test
    void sampledProtocolScoresCandidatesThroughTheJob() throws Exception {
        EvalSettings s =
                new EvalSettings(
                        clusteredLog(dir),
                        DatasetFormat.CSV,
                        Protocol.SAMPLED,
                        null,
                        null,
                        List.of(1, 5),
                        42,
                        20,
                        0.8,
                        false,
                        1.0,
                        0.5,
                        null,
                        Map.of());
        EvalReport report = Evaluation.run(s);
        MethodResult walk = report.method("walkstream");
        assertThat(walk.requests()).isEqualTo(80);
        // 20 negatives from other clusters or unseen own-cluster items: the walk ranks the held-out
        // item high
        assertThat(walk.hitRate().get(5)).isGreaterThan(0.9);
        assertThat(walk.mrr()).isBetween(0.0, 1.0);

        // the same seed gives the same figures (run times and latencies aside)
        EvalReport again = Evaluation.run(s);
        for (int i = 0; i < report.methods().size(); i++) {
            MethodResult a = report.methods().get(i), b = again.methods().get(i);
            assertThat(
                            List.of(
                                    b.hitRate(),
                                    b.ndcg(),
                                    b.recall(),
                                    b.mrr(),
                                    b.catalogueCoverage(),
                                    b.meanPopularity()))
                    .isEqualTo(
                            List.of(
                                    a.hitRate(),
                                    a.ndcg(),
                                    a.recall(),
                                    a.mrr(),
                                    a.catalogueCoverage(),
                                    a.meanPopularity()));
        }
    }

    @Test
    void trainedVectorsAreEvaluatedNextToTheBuiltInOnesOnTheSameSplit() throws Exception {
        // Vectors that know the clusters: a unit axis per cluster, plus a little per-item noise.
        SplittableRandom rnd = new SplittableRandom(9);
        Map<String, float[]> v = new LinkedHashMap<>();
        for (int item = 0; item < 60; item++) {
            float[] x = new float[4];
            for (int d = 0; d < 4; d++) {
                x[d] = (float) (rnd.nextDouble() * 0.1);
            }
            x[item / 15] = 1;
            v.put("i" + item, x);
        }
        Path vectors = dir.resolve("vectors.jsonl");
        VectorsFile.write(vectors, "clusters-1", v, Map.of());
        EvalSettings s =
                new EvalSettings(
                        clusteredLog(dir),
                        DatasetFormat.CSV,
                        Protocol.LEAVE_LAST_OUT,
                        null,
                        null,
                        List.of(10),
                        42,
                        0,
                        0.8,
                        false,
                        1.0,
                        0.5,
                        null,
                        Map.of(
                                "walk.walkers",
                                "2000",
                                "rank.similarityBlend",
                                "0.5",
                                "rank.transitionBlend",
                                "0.5"),
                        vectors);
        EvalReport report = Evaluation.run(s);
        assertThat(report.methods())
                .extracting(MethodResult::method)
                .containsExactly(
                        "walkstream",
                        "walkstream + trained vectors (clusters-1)",
                        "most popular",
                        "item-kNN (cosine)",
                        report.methods().get(4).method(),
                        report.methods().get(5).method(),
                        report.methods().get(6).method(),
                        report.methods().get(7).method(),
                        report.methods().get(8).method(),
                        report.methods().get(9).method(),
                        report.methods().get(10).method(),
                        "trained vectors alone (clusters-1, recent items h=2.0)");
        assertThat(report.data())
                .containsEntry("vectorsModel", "clusters-1")
                .containsEntry("vectorsCount", 60);
        assertThat(report.method("walkstream + trained").hitRate().get(10)).isGreaterThan(0.9);
        assertThat(report.method("walkstream + trained").requests()).isEqualTo(80);
        assertThat(report.method("trained vectors alone").hitRate().get(10)).isGreaterThan(0.9);
        assertThat(report.method("most popular").hitRate().get(10)).isLessThan(0.6);
        assertThat(report.parameters()).containsEntry("vectors", vectors.toString());
    }
}
