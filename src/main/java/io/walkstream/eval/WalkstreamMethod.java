package io.walkstream.eval;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The method under test: one replay of the training events through the real job, one request per
 * test case (ts = the test timestamp). Full ranking asks for the top {@code k} with the user's
 * whole training history as {@code exclude} (the job itself only excludes its bounded behaviour
 * buffer); sampled asks a candidate-scoring request.
 */
public final class WalkstreamMethod {
    private WalkstreamMethod() {}

    public static MethodResult evaluate(
            JobConfig cfg, Split split, TrainingData data, List<Integer> ks) throws Exception {
        return evaluate("walkstream", cfg, split, data, ks, 0, new LinkedHashMap<>());
    }

    public static MethodResult evaluate(
            JobConfig cfg,
            Split split,
            TrainingData data,
            List<Integer> ks,
            int window,
            Map<String, Object> facts)
            throws Exception {
        return evaluate("walkstream", cfg, split, data, ks, window, facts);
    }

    /**
     * @param name the method's label (e.g. "walkstream + trained vectors (model)")
     * @param window most requests open at once (0: all)
     * @param facts receives the run's facts: the window, the job's peak heap, counters per request
     */
    public static MethodResult evaluate(
            String name,
            JobConfig cfg,
            Split split,
            TrainingData data,
            List<Integer> ks,
            int window,
            Map<String, Object> facts)
            throws Exception {
        int maxK = ks.stream().mapToInt(Integer::intValue).max().orElse(10);
        List<Request> requests = new ArrayList<>(split.tests().size());
        for (int n = 0; n < split.tests().size(); n++) {
            requests.add(request("eval-" + n, split.tests().get(n), data, maxK, cfg));
        }
        HeapPeak peak = HeapPeak.start();
        JobReplay.Answers answers = JobReplay.run(cfg, split.train(), requests, window);
        facts.put(
                "requestWindow", window > 0 && window < requests.size() ? window : requests.size());
        facts.put("jobPeakHeapMb", peak.peakMb());
        facts.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        facts.put("messagesPerRequest", perRequest(answers.counters(), requests.size()));
        MetricsAccumulator acc = new MetricsAccumulator(name, ks, data);
        for (int n = 0; n < split.tests().size(); n++) {
            TestCase t = split.tests().get(n);
            Recommendation r = answers.byRequestId().get("eval-" + n);
            if (r == null) {
                throw new IllegalStateException("the job left request eval-" + n + " unanswered");
            }
            List<String> ranked =
                    r.items == null
                            ? List.of()
                            : Arrays.stream(r.items).map((RecommendedItem i) -> i.item).toList();
            acc.add(ranked, t.relevant());
            acc.addAnswerFacts(r.partial, r.latencyMs);
        }
        return acc.result(answers.wallMs());
    }

    /** Messages into each step per request, from the job's counters. */
    static Map<String, Double> perRequest(Map<String, Object> counters, int requests) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String c :
                List.of(
                        "item.hopsIn",
                        "context.hopsIn",
                        "score.hopsIn",
                        "rank.inputs",
                        "rank.lateMessages")) {
            Object v = counters.get("walkstream." + c);
            if (v instanceof Number n && requests > 0) {
                m.put(c, Math.round(n.doubleValue() / requests * 10) / 10.0);
            }
        }
        return m;
    }

    static Request request(String id, TestCase t, TrainingData data, int k, JobConfig cfg) {
        Request r = Request.forUser(id, t.user(), k, t.ts());
        if (t.isSampled()) {
            if (t.candidates().size() > cfg.rank.maxCandidates
                    || t.candidates().size() > cfg.rank.maxK) {
                throw new IllegalArgumentException(
                        t.candidates().size() + " candidates exceed rank.maxCandidates/rank.maxK");
            }
            r.candidates = t.candidates().toArray(String[]::new);
            r.k = t.candidates().size();
        } else {
            int[] history = data.history(t.user());
            if (history.length > cfg.rank.maxExcludes) {
                throw new IllegalArgumentException(
                        "user "
                                + t.user()
                                + " has "
                                + history.length
                                + " training items, more than rank.maxExcludes="
                                + cfg.rank.maxExcludes
                                + "; raise it with --set");
            }
            if (history.length > 0) {
                r.exclude = Arrays.stream(history).mapToObj(data::item).toArray(String[]::new);
            }
        }
        return r;
    }
}
