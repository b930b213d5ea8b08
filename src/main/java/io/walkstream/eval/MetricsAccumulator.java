package io.walkstream.eval;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/** Sums per-request metrics of one method and turns them into a {@link MethodResult}. */
public final class MetricsAccumulator {
    private final String method;
    private final List<Integer> ks;
    private final TrainingData data;
    private final double[] hr, ndcg, recall;
    private double mrr, popularitySum;
    private long popularityCount;
    private int requests, partial, coldRequests;
    private double coldHits;
    private boolean tracksPartial;
    private final Set<String> recommended = new HashSet<>();
    private final Histogram latency = new Histogram(3_600_000L, 3);

    public MetricsAccumulator(String method, List<Integer> ks, TrainingData data) {
        this.method = method;
        this.ks = List.copyOf(ks);
        this.data = data;
        this.hr = new double[ks.size()];
        this.ndcg = new double[ks.size()];
        this.recall = new double[ks.size()];
    }

    /** One answer: the ranked list (at least max K long when available) and the held-out items. */
    public void add(List<String> ranked, Set<String> relevant) {
        requests++;
        for (int i = 0; i < ks.size(); i++) {
            int k = ks.get(i);
            hr[i] += RankingMetrics.hitRate(ranked, relevant, k);
            ndcg[i] += RankingMetrics.ndcg(ranked, relevant, k);
            recall[i] += RankingMetrics.recall(ranked, relevant, k);
        }
        mrr += RankingMetrics.reciprocalRank(ranked, relevant);
        Set<String> cold = new HashSet<>();
        for (String item : relevant) {
            if (data.degree(item) == 0) {
                cold.add(item);
            }
        }
        if (!cold.isEmpty()) {
            coldRequests++;
            coldHits += RankingMetrics.hitRate(ranked, cold, coldK());
        }
        int maxK = ks.stream().mapToInt(Integer::intValue).max().orElse(10);
        for (String item : ranked.subList(0, Math.min(maxK, ranked.size()))) {
            recommended.add(item);
            popularitySum += data.degree(item);
            popularityCount++;
        }
    }

    /**
     * Walkstream's answer flags: whether it was partial, and its latency as the job measured it.
     */
    public void addAnswerFacts(boolean wasPartial, long latencyMs) {
        tracksPartial = true;
        if (wasPartial) {
            partial++;
        }
        latency.recordValue(Math.max(0, Math.min(latencyMs, latency.getHighestTrackableValue())));
    }

    public MethodResult result(long runtimeMs) {
        Map<Integer, Double> h = new LinkedHashMap<>(),
                n = new LinkedHashMap<>(),
                r = new LinkedHashMap<>();
        for (int i = 0; i < ks.size(); i++) {
            h.put(ks.get(i), mean(hr[i]));
            n.put(ks.get(i), mean(ndcg[i]));
            r.put(ks.get(i), mean(recall[i]));
        }
        Map<String, Long> lat = null;
        if (tracksPartial) {
            lat = new LinkedHashMap<>();
            lat.put("p50", latency.getValueAtPercentile(50));
            lat.put("p95", latency.getValueAtPercentile(95));
            lat.put("p99", latency.getValueAtPercentile(99));
            lat.put("max", latency.getMaxValue());
        }
        double coverage =
                data.itemCount() == 0 ? 0 : (double) recommended.size() / data.itemCount();
        return new MethodResult(
                method,
                requests,
                h,
                n,
                r,
                mean(mrr),
                coverage,
                popularityCount == 0 ? 0 : popularitySum / popularityCount,
                tracksPartial ? mean(partial) : null,
                lat,
                runtimeMs,
                coldRequests,
                coldRequests == 0 ? null : coldHits / coldRequests);
    }

    /** The K of the cold-item slice: 10 when measured, else the first K. */
    private int coldK() {
        return ks.contains(10) ? 10 : ks.get(0);
    }

    private double mean(double sum) {
        return requests == 0 ? 0 : sum / requests;
    }
}
