package io.walkstream.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tunes the Markov and EASE baselines on the validation split ({@link Splitter#validation}: each
 * user's last training interaction held out, trained without it), never on the test items, then
 * fits the chosen setting on the whole training set. The criterion is NDCG at the first cut-off;
 * ties go to the setting listed first. Every setting's validation figures go into the report.
 */
final class Tuning {
    private Tuning() {}

    /** Markov settings tried: window m, decay, last L items, row normalisation (simple first). */
    static List<Markov.Params> markovGrid() {
        List<Markov.Params> grid = new ArrayList<>();
        for (int m : new int[] {1, 2, 3, 5, 10, 20}) {
            for (Markov.Decay d :
                    m == 1 ? new Markov.Decay[] {Markov.Decay.INVERSE} : Markov.Decay.values()) {
                for (boolean norm : new boolean[] {true, false}) {
                    for (int l : new int[] {1, 2, 3, 5, 10, 20, 50}) {
                        grid.add(new Markov.Params(m, d, l, norm));
                    }
                }
            }
        }
        return grid;
    }

    /** Shares of a second transition step tried on the best one-step setting. */
    static final double[] MARKOV_TWO_STEP_SHARES = {0.1, 0.2, 0.3, 0.5};

    /** EASE's λ grid (geometric, about ×3 apart). */
    static final double[] EASE_LAMBDAS = {30, 100, 300, 1000, 3000};

    /** The validation data: split, matrix and sequences, built once for every tuned baseline. */
    record Validation(Split split, TrainingData data, Sequences seqs) {
        static Validation of(Split split) {
            Split v = Splitter.validation(split);
            TrainingData d = new TrainingData(v.train());
            return new Validation(v, d, Sequences.of(v.train(), d));
        }
    }

    /** The Markov baseline with the validation's best setting, fitted on the training data. */
    static Markov markov(
            TrainingData training,
            Sequences seqs,
            Validation val,
            double seedHalfLife,
            List<Integer> ks,
            Map<String, Object> facts) {
        List<Markov.Params> grid = markovGrid();
        Progress p =
                Progress.start(
                        "markov: validation",
                        "settings",
                        grid.size() + MARKOV_TWO_STEP_SHARES.length);
        List<Map<String, Object>> rows = new ArrayList<>();
        Markov.Params best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        // The grid is ordered by window and decay: one transition table at a time (m = 20 on the
        // ML-1M part: ~10M entries).
        String countedFor = null;
        Markov.Transitions t = null;
        for (Markov.Params params : grid) {
            String key = params.window() + "/" + params.decay();
            if (!key.equals(countedFor)) {
                t = null;
                t =
                        Markov.Transitions.count(
                                val.data().itemCount(),
                                val.seqs(),
                                params.window(),
                                params.decay());
                countedFor = key;
            }
            double score =
                    validate(
                            new Markov(val.data(), val.seqs(), params, seedHalfLife, t),
                            val,
                            ks,
                            rows);
            if (score > bestScore) {
                bestScore = score;
                best = params;
            }
            p.step();
        }
        // Then whether a second transition step (i → j → k) adds anything to the best setting.
        Markov.Transitions forBest =
                Markov.Transitions.count(
                        val.data().itemCount(), val.seqs(), best.window(), best.decay());
        Markov.Params oneStep = best;
        for (double share : MARKOV_TWO_STEP_SHARES) {
            Markov.Params params = oneStep.withTwoStep(share);
            double score =
                    validate(
                            new Markov(val.data(), val.seqs(), params, seedHalfLife, forBest),
                            val,
                            ks,
                            rows);
            if (score > bestScore) {
                bestScore = score;
                best = params;
            }
            p.step();
        }
        p.finish(
                "best "
                        + best.label()
                        + String.format(
                                Locale.ROOT, " (validation NDCG@%d %.4f)", ks.get(0), bestScore));
        facts.put("grid", rows);
        facts.put("chosen", best.label());
        return new Markov(training, seqs, best, seedHalfLife);
    }

    /**
     * One Markov setting on the validation split: adds its row to {@code rows}, returns its NDCG at
     * the first cut-off.
     */
    private static double validate(
            Markov m, Validation val, List<Integer> ks, List<Map<String, Object>> rows) {
        MethodResult r = Evaluation.evaluateBaseline(m, val.split(), val.data(), ks, false);
        rows.add(row(m.params().label(), r, ks.get(0)));
        return r.ndcg().get(ks.get(0));
    }

    /**
     * The binary EASE fits: scored with the binary user row, and (h > 0) with the recency-weighted
     * one.
     */
    record EaseFits(Ease binary, Ease recentRow) {}

    /**
     * EASE on the binary matrix: each λ of {@code lambdas} is fitted once on the validation data
     * and scored both with the binary user row and (h > 0) with the recency-weighted one; each
     * scoring gets its own best λ, and the chosen λs are fitted on the training data (once if they
     * agree).
     */
    static EaseFits ease(
            TrainingData training,
            Sequences seqs,
            Validation val,
            double h,
            double[] lambdas,
            List<Integer> ks,
            Map<String, Object> binaryFacts,
            Map<String, Object> recentFacts) {
        int n = val.data().itemCount();
        Progress p =
                Progress.start(
                        "EASE: validation, "
                                + String.format(Locale.ROOT, "%,d × %,d inverse per λ", n, n),
                        "settings",
                        lambdas.length);
        double[] gram = Ease.gram(val.data(), val.seqs(), 0);
        Choice binary = new Choice(), recent = new Choice();
        for (double lambda : lambdas) {
            long t0 = System.nanoTime();
            Ease e = new Ease(val.data(), val.seqs(), lambda, 0, 0, gram);
            long fitMs = (System.nanoTime() - t0) / 1_000_000;
            binary.offer(
                    lambda,
                    Evaluation.evaluateBaseline(e, val.split(), val.data(), ks, false),
                    ks.get(0),
                    fitMs);
            if (h > 0) {
                recent.offer(
                        lambda,
                        Evaluation.evaluateBaseline(
                                e.scoredWith(h), val.split(), val.data(), ks, false),
                        ks.get(0),
                        fitMs);
            }
            p.step();
        }
        gram = null;
        p.finish(
                String.format(
                                Locale.ROOT,
                                "best λ=%s (validation NDCG@%d %.4f)",
                                Ease.num(binary.best),
                                ks.get(0),
                                binary.bestScore)
                        + (h > 0
                                ? String.format(
                                        Locale.ROOT,
                                        "; recent user row: λ=%s (%.4f)",
                                        Ease.num(recent.best),
                                        recent.bestScore)
                                : ""));
        binary.report(binaryFacts);
        Ease fitted = fitOnTraining("EASE", training, seqs, binary.best, 0, binaryFacts);
        if (!(h > 0)) {
            return new EaseFits(fitted, null);
        }
        recent.report(recentFacts);
        Ease recentFit =
                recent.best == binary.best
                        ? fitted.scoredWith(h)
                        : fitOnTraining(
                                        "EASE (recent user row)",
                                        training,
                                        seqs,
                                        recent.best,
                                        0,
                                        recentFacts)
                                .scoredWith(h);
        return new EaseFits(fitted, recentFit);
    }

    /**
     * EASE fitted on recency-weighted rows of X. Their Gram matrix is on another scale than the
     * binary one (each row's weights fall from 1 by halves), so λ is the binary model's best times
     * the ratio of the two traces, then a third and three times that: three fits on the validation
     * data.
     */
    static Ease easeWeightedRows(
            TrainingData training,
            Sequences seqs,
            Validation val,
            double h,
            double binaryLambda,
            List<Integer> ks,
            Map<String, Object> facts) {
        int n = val.data().itemCount();
        double[] gram = Ease.gram(val.data(), val.seqs(), h);
        double scale =
                Ease.trace(gram, n)
                        / Math.max(1e-12, Ease.trace(Ease.gram(val.data(), val.seqs(), 0), n));
        double centre = Double.parseDouble(Ease.num(binaryLambda * scale));
        double[] lambdas = {
            Double.parseDouble(Ease.num(centre / 3)),
            centre,
            Double.parseDouble(Ease.num(centre * 3))
        };
        Progress p =
                Progress.start(
                        "EASE (recency-weighted rows): validation, "
                                + String.format(Locale.ROOT, "%,d × %,d inverse per λ", n, n),
                        "settings",
                        lambdas.length);
        Choice c = new Choice();
        for (double lambda : lambdas) {
            long t0 = System.nanoTime();
            Ease e = new Ease(val.data(), val.seqs(), lambda, h, h, gram);
            c.offer(
                    lambda,
                    Evaluation.evaluateBaseline(e, val.split(), val.data(), ks, false),
                    ks.get(0),
                    (System.nanoTime() - t0) / 1_000_000);
            p.step();
        }
        gram = null;
        p.finish(
                String.format(
                        Locale.ROOT,
                        "best λ=%s (validation NDCG@%d %.4f)",
                        Ease.num(c.best),
                        ks.get(0),
                        c.bestScore));
        facts.put("traceRatio", scale);
        c.report(facts);
        return fitOnTraining("EASE (recency-weighted rows)", training, seqs, c.best, h, facts);
    }

    private static Ease fitOnTraining(
            String what,
            TrainingData training,
            Sequences seqs,
            double lambda,
            double h,
            Map<String, Object> facts) {
        Progress fit =
                Progress.start(
                        what + ": fitting on the training data, λ=" + Ease.num(lambda), "fits", 1);
        long t0 = System.nanoTime();
        Ease e = new Ease(training, seqs, lambda, h);
        fit.step();
        fit.finish();
        facts.put("fitMs", (System.nanoTime() - t0) / 1_000_000);
        return e;
    }

    /** The best λ so far by validation NDCG (ties: the first tried), with every λ's figures. */
    private static final class Choice {
        double best = Double.NaN, bestScore = Double.NEGATIVE_INFINITY;
        final List<Map<String, Object>> rows = new ArrayList<>();

        void offer(double lambda, MethodResult r, int k, long fitMs) {
            Map<String, Object> row = row("λ=" + Ease.num(lambda), r, k);
            row.put("fitMs", fitMs);
            rows.add(row);
            double score = r.ndcg().get(k);
            if (score > bestScore) {
                bestScore = score;
                best = lambda;
            }
        }

        void report(Map<String, Object> facts) {
            facts.put("grid", rows);
            facts.put("chosen", "λ=" + Ease.num(best));
        }
    }

    private static Map<String, Object> row(String setting, MethodResult r, int k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("setting", setting);
        m.put("hr@" + k, r.hitRate().get(k));
        m.put("ndcg@" + k, r.ndcg().get(k));
        m.put("requests", r.requests());
        return m;
    }
}
