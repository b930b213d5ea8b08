package io.walkstream.eval;

import java.util.List;
import java.util.Set;

/** Per-request top-K metrics on a ranked list with binary relevance. Positions count from 1. */
public final class RankingMetrics {
    private RankingMetrics() {}

    /** 1 if any relevant item is in the top k, else 0. */
    public static double hitRate(List<String> ranked, Set<String> relevant, int k) {
        int n = Math.min(k, ranked.size());
        for (int p = 0; p < n; p++) {
            if (relevant.contains(ranked.get(p))) {
                return 1;
            }
        }
        return 0;
    }

    /** Relevant items in the top k divided by the number of relevant items. */
    public static double recall(List<String> ranked, Set<String> relevant, int k) {
        if (relevant.isEmpty()) {
            return 0;
        }
        int n = Math.min(k, ranked.size()), hits = 0;
        for (int p = 0; p < n; p++) {
            if (relevant.contains(ranked.get(p))) {
                hits++;
            }
        }
        return (double) hits / relevant.size();
    }

    /** DCG of the top k (gain 1/log2(position+1)) over the DCG of an ideal list. */
    public static double ndcg(List<String> ranked, Set<String> relevant, int k) {
        if (relevant.isEmpty()) {
            return 0;
        }
        int n = Math.min(k, ranked.size());
        double dcg = 0, ideal = 0;
        for (int p = 0; p < n; p++) {
            if (relevant.contains(ranked.get(p))) {
                dcg += 1 / log2(p + 2);
            }
        }
        for (int p = 0; p < Math.min(k, relevant.size()); p++) {
            ideal += 1 / log2(p + 2);
        }
        return dcg / ideal;
    }

    /** 1 / position of the first relevant item in the list, 0 if none is in it. */
    public static double reciprocalRank(List<String> ranked, Set<String> relevant) {
        for (int p = 0; p < ranked.size(); p++) {
            if (relevant.contains(ranked.get(p))) {
                return 1.0 / (p + 1);
            }
        }
        return 0;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
