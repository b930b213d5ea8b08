package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    private static final List<String> RANKED = List.of("a", "b", "c", "d", "e");

    @Test
    void hitRateCountsAnyRelevantItemInTheTopK() {
        assertThat(RankingMetrics.hitRate(RANKED, Set.of("c"), 3)).isEqualTo(1.0);
        assertThat(RankingMetrics.hitRate(RANKED, Set.of("c"), 2)).isEqualTo(0.0);
        assertThat(RankingMetrics.hitRate(RANKED, Set.of("z"), 5)).isEqualTo(0.0);
        assertThat(RankingMetrics.hitRate(List.of(), Set.of("a"), 10)).isEqualTo(0.0);
    }

    @Test
    void ndcgOfASingleRelevantItemIsOneOverLog2OfPositionPlusOne() {
        assertThat(RankingMetrics.ndcg(RANKED, Set.of("a"), 10)).isCloseTo(1.0, within(1e-12));
        // position 3: 1 / log2(4) = 0.5
        assertThat(RankingMetrics.ndcg(RANKED, Set.of("c"), 10)).isCloseTo(0.5, within(1e-12));
        // position 2: 1 / log2(3) = 0.6309297535714575
        assertThat(RankingMetrics.ndcg(RANKED, Set.of("b"), 10))
                .isCloseTo(0.6309297535714575, within(1e-12));
        assertThat(RankingMetrics.ndcg(RANKED, Set.of("c"), 2)).isEqualTo(0.0);
    }

    @Test
    void ndcgWithSeveralRelevantItemsDividesByTheIdealList() {
        // hits at 2 and 4: DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161;
        // ideal (two hits at 1 and 2): 1 + 0.63093 = 1.63093; ratio 0.650921
        assertThat(RankingMetrics.ndcg(RANKED, Set.of("b", "d"), 5))
                .isCloseTo(0.6509209298, within(1e-9));
        // k=1 with two relevant: ideal = 1, nothing at 1
        assertThat(RankingMetrics.ndcg(RANKED, Set.of("b", "d"), 1)).isEqualTo(0.0);
    }

    @Test
    void recallIsTheShareOfRelevantItemsFound() {
        assertThat(RankingMetrics.recall(RANKED, Set.of("b", "d", "z"), 5))
                .isCloseTo(2.0 / 3, within(1e-12));
        assertThat(RankingMetrics.recall(RANKED, Set.of("b", "d", "z"), 2))
                .isCloseTo(1.0 / 3, within(1e-12));
        assertThat(RankingMetrics.recall(RANKED, Set.of(), 2)).isEqualTo(0.0);
    }

    @Test
    void reciprocalRankUsesTheFirstRelevantItem() {
        assertThat(RankingMetrics.reciprocalRank(RANKED, Set.of("d", "b")))
                .isCloseTo(0.5, within(1e-12));
        assertThat(RankingMetrics.reciprocalRank(RANKED, Set.of("e")))
                .isCloseTo(0.2, within(1e-12));
        assertThat(RankingMetrics.reciprocalRank(RANKED, Set.of("z"))).isEqualTo(0.0);
    }
}
