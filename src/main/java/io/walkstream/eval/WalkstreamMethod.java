package io.walkstream.eval;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The method under test: one replay of the training events through the real job, one request per
 * test case (ts = the test timestamp). Full ranking asks for the top {@code k} with the user's whole
 * training history as {@code exclude} (the job itself only excludes its bounded behaviour buffer);
 * sampled asks a candidate-scoring request.
 */
public final class WalkstreamMethod {
    private WalkstreamMethod() {}

    public static MethodResult evaluate(JobConfig cfg, Split split, TrainingData data, List<Integer> ks) throws Exception {
        return evaluate("walkstream", cfg, split, data, ks);
    }

    /** The same, under another label (e.g. with trained vectors added to the replay). */
    public static MethodResult evaluate(String name, JobConfig cfg, Split split, TrainingData data, List<Integer> ks) throws Exception {
        int maxK = ks.stream().mapToInt(Integer::intValue).max().orElse(10);
        List<Request> requests = new ArrayList<>(split.tests().size());
        for (int n = 0; n < split.tests().size(); n++) requests.add(request("eval-" + n, split.tests().get(n), data, maxK, cfg));
        JobReplay.Answers answers = JobReplay.run(cfg, split.train(), requests);
        MetricsAccumulator acc = new MetricsAccumulator(name, ks, data);
        for (int n = 0; n < split.tests().size(); n++) {
            TestCase t = split.tests().get(n);
            Recommendation r = answers.byRequestId().get("eval-" + n);
            if (r == null) throw new IllegalStateException("the job left request eval-" + n + " unanswered");
            List<String> ranked = r.items == null ? List.of() : Arrays.stream(r.items).map((RecommendedItem i) -> i.item).toList();
            acc.add(ranked, t.relevant());
            acc.addAnswerFacts(r.partial, r.latencyMs);
        }
        return acc.result(answers.wallMs());
    }

    static Request request(String id, TestCase t, TrainingData data, int k, JobConfig cfg) {
        Request r = Request.forUser(id, t.user(), k, t.ts());
        if (t.isSampled()) {
            if (t.candidates().size() > cfg.rank.maxCandidates || t.candidates().size() > cfg.rank.maxK) {
                throw new IllegalArgumentException(t.candidates().size() + " candidates exceed rank.maxCandidates/rank.maxK");
            }
            r.candidates = t.candidates().toArray(String[]::new);
            r.k = t.candidates().size();
        } else {
            int[] history = data.history(t.user());
            if (history.length > cfg.rank.maxExcludes) {
                throw new IllegalArgumentException("user " + t.user() + " has " + history.length
                        + " training items, more than rank.maxExcludes=" + cfg.rank.maxExcludes + "; raise it with --set");
            }
            if (history.length > 0) r.exclude = Arrays.stream(history).mapToObj(data::item).toArray(String[]::new);
        }
        return r;
    }
}
