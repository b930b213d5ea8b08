package io.walkstream.eval;

import java.util.Map;

/**
 * Every figure measured for one method on one split. Maps are keyed by K. {@code mrr} is over the
 * returned list (top max-K for full ranking, all candidates for sampled). {@code latencyMs} and
 * {@code partialShare} exist for walkstream only (null for baselines). {@code coldRequests} counts
 * the requests that held out an item without any training interaction (it appears only in the test
 * period); {@code coldHitRate} is the share of them with such an item in the top 10 (or the first
 * K), null without any.
 */
public record MethodResult(
        String method,
        int requests,
        Map<Integer, Double> hitRate,
        Map<Integer, Double> ndcg,
        Map<Integer, Double> recall,
        double mrr,
        double catalogueCoverage,
        double meanPopularity,
        Double partialShare,
        Map<String, Long> latencyMs,
        long runtimeMs,
        int coldRequests,
        Double coldHitRate) {}
