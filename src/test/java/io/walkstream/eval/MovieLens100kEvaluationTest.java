package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.gen.DatasetFormat;
import io.walkstream.testing.Clusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leave-last-out on the shared MovieLens 100K file, through the real job with the engine's default
 * settings (the harness adds only its offline settings). Skipped when {@code ../shared/datasets} is
 * absent. Measured (asked at the end of training): HR@10 0.2078, NDCG@10 0.1134; most popular
 * 0.0838 / 0.0421; exact RP3β (β 0.3) 0.1188 / 0.0599; exact RP3β with the walk's recency-weighted
 * seeds (h 2) 0.1898 / 0.0989; markov (tuned on the validation split: m 5, 2^-(k-1), L 20) 0.2004 /
 * 0.1080; EASE (λ 100) 0.1442 / 0.0724, with a recent user row (λ 1000) 0.1994 / 0.1123.
 */
class MovieLens100kEvaluationTest {
    static final Path U_DATA = Path.of("..", "shared", "datasets", "movielens-100k", "u.data.gz");

    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    @Test
    void leaveLastOutOnMovieLens100k() throws Exception {
        Assumptions.assumeTrue(
                Files.isReadable(U_DATA),
                "skipped: "
                        + U_DATA.toAbsolutePath().normalize()
                        + " is absent (the shared datasets live next to the project)");
        EvalSettings s =
                new EvalSettings(
                        U_DATA,
                        DatasetFormat.MOVIELENS,
                        Protocol.LEAVE_LAST_OUT,
                        null,
                        null,
                        List.of(10, 20),
                        42,
                        0,
                        0.8,
                        true, // asked at the end of training: the walk sees what the baselines see
                        1.0,
                        new JobConfig().rank.beta,
                        null,
                        Map.of());
        EvalReport report = Evaluation.run(s);

        assertThat(report.data())
                .containsEntry("events", 100_000)
                .containsEntry("malformedLines", 0)
                .containsEntry("testRequests", 943)
                .containsEntry("trainEvents", 100_000 - 943);
        for (MethodResult m : report.methods()) {
            assertThat(m.requests()).isEqualTo(943);
        }
        MethodResult walk = report.method("walkstream"), pop = report.method("most popular");
        // Published leave-one-out figures for ML-100K put most-popular HR@10 near 0.1 and graph
        // methods clearly above it; anything outside these wide bands means a broken split or
        // metric.
        assertThat(pop.hitRate().get(10)).isBetween(0.03, 0.2);
        assertThat(report.method("exact RP3").hitRate().get(10))
                .isGreaterThan(pop.hitRate().get(10));
        assertThat(walk.hitRate().get(10)).isGreaterThan(pop.hitRate().get(10));
        assertThat(walk.ndcg().get(10)).isGreaterThan(pop.ndcg().get(10));
        assertThat(walk.catalogueCoverage()).isGreaterThan(pop.catalogueCoverage());
        // The target, with the engine's defaults: well above most popular, at least exact
        // RP3β.
        MethodResult exact = report.method("exact RP3");
        assertThat(walk.hitRate().get(10))
                .isGreaterThan(pop.hitRate().get(10) * 1.5)
                .isGreaterThan(exact.hitRate().get(10) * 1.4);
        assertThat(walk.ndcg().get(10))
                .isGreaterThan(pop.ndcg().get(10) * 1.5)
                .isGreaterThan(exact.ndcg().get(10) * 1.4);
        // Its exact counterpart (same recency-weighted seeds, no sampling) stays ahead: the walk's
        // sampling costs ~10%. The sequence-aware baselines, tuned on the validation split: order
        // and recency beat co-occurrence.
        MethodResult markov = report.method("markov ("), ease = report.method("EASE (λ=");
        assertThat(markov.hitRate().get(10)).isGreaterThan(exact.hitRate().get(10) * 1.3);
        assertThat(ease.hitRate().get(10)).isGreaterThan(pop.hitRate().get(10) * 1.3);
        assertThat(report.data()).containsKey("tuning").containsEntry("validationRequests", 943);
        MethodResult recent = report.method("exact RP3β (α=1.0, β=0.3, recent seeds");
        // Measured with the defaults (exact transitions hop skipping the request's exclusions,
        // transition share 1, blend 0.9, at most 2 next items per walker): 0.2121 / 0.1138 against
        // Markov 0.2004 / 0.1080 and EASE with a recent user row 0.1994 / 0.1123; answers are
        // deterministic. Issue 15's target:
        // ahead of both sequence-aware baselines.
        MethodResult easeRecent =
                report.methods().stream()
                        .filter(m -> m.method().contains("recent user row"))
                        .findFirst()
                        .orElseThrow();
        assertThat(walk.hitRate().get(10))
                .isGreaterThan(markov.hitRate().get(10))
                .isGreaterThan(easeRecent.hitRate().get(10))
                .isGreaterThan(recent.hitRate().get(10));
        assertThat(walk.ndcg().get(10))
                .isGreaterThan(markov.ndcg().get(10))
                .isGreaterThan(easeRecent.ndcg().get(10));
    }
}
