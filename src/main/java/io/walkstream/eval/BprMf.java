package io.walkstream.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * BPR matrix factorisation (Rendle et al., 2009): a user's score for an item is the dot product of
 * their factors, learned by stochastic gradient ascent on ln σ(score(u, i) − score(u, j)) for a
 * training item i and a uniformly sampled item j the user has not interacted with, with L2
 * regularisation. The classic learned baseline of implicit-feedback recommendation, next to which
 * the trainer's vectors are judged. The number of epochs is chosen on the validation split (early
 * stopping), then the model is fitted on the whole training data for that many epochs.
 */
final class BprMf extends ScoringBaseline {
    /** Dimension, learning rate, L2 weight, most epochs, epochs between validation checks. */
    record Params(int dim, double learningRate, double l2, int maxEpochs, int checkEvery) {}

    static final Params DEFAULT = new Params(64, 0.05, 0.002, 100, 5);

    /** Validation checks without improvement before early stopping ends the search. */
    static final int PATIENCE = 3;

    private final float[][] users;
    private final float[][] items;
    private final int epochs;

    private BprMf(TrainingData data, float[][] users, float[][] items, int epochs) {
        super(data);
        this.users = users;
        this.items = items;
        this.epochs = epochs;
    }

    /**
     * Early stopping on the validation split (NDCG at the first cut-off, every {@code checkEvery}
     * epochs), then the fit on {@code training} for the best number of epochs; the curve goes into
     * {@code facts} ({@code grid}, as the other tuned baselines' settings).
     */
    static BprMf tuned(
            TrainingData training,
            Tuning.Validation val,
            Params p,
            long seed,
            List<Integer> ks,
            Map<String, Object> facts) {
        Progress progress = Progress.start("bpr-mf: validation", "epochs", p.maxEpochs());
        Trainer v = new Trainer(val.data(), p, seed);
        List<Map<String, Object>> curve = new ArrayList<>();
        int bestEpochs = p.checkEvery();
        double best = Double.NEGATIVE_INFINITY;
        int stale = 0;
        for (int e = p.checkEvery(); e <= p.maxEpochs() && stale < PATIENCE; e += p.checkEvery()) {
            for (int i = 0; i < p.checkEvery(); i++) {
                v.epoch();
            }
            MethodResult r =
                    Evaluation.evaluateBaseline(v.model(e), val.split(), val.data(), ks, false);
            double score = r.ndcg().get(ks.get(0));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epochs", e);
            row.put("hr@" + ks.get(0), r.hitRate().get(ks.get(0)));
            row.put("ndcg@" + ks.get(0), score);
            curve.add(row);
            if (score > best) {
                best = score;
                bestEpochs = e;
                stale = 0;
            } else {
                stale++;
            }
            progress.set(e);
        }
        progress.finish(
                String.format(
                        Locale.ROOT,
                        "best %d epochs (validation NDCG@%d %.4f)",
                        bestEpochs,
                        ks.get(0),
                        best));
        facts.put("params", p);
        facts.put("grid", curve); // the early-stopping curve: one row per check
        facts.put("chosen", bestEpochs + " epochs");
        facts.put("chosenEpochs", bestEpochs);
        Trainer t = new Trainer(training, p, seed);
        for (int e = 0; e < bestEpochs; e++) {
            t.epoch();
        }
        return t.model(bestEpochs);
    }

    @Override
    public String name() {
        return "BPR-MF (d " + BprMf.dim(items) + ", " + epochs + " epochs)";
    }

    @Override
    boolean isSparse() {
        return false; // a score for every item
    }

    @Override
    double[] scores(String user, int[] history) {
        double[] s = new double[items.length];
        int row = data.userRow(user);
        if (row < 0) {
            return s; // no factors: every item ties, broken by the stable hash
        }
        float[] u = users[row];
        for (int i = 0; i < s.length; i++) {
            s[i] = dot(u, items[i]);
        }
        return s;
    }

    private static int dim(float[][] m) {
        return m.length == 0 ? 0 : m[0].length;
    }

    static double dot(float[] a, float[] b) {
        double d = 0;
        for (int k = 0; k < a.length; k++) {
            d += a[k] * b[k];
        }
        return d;
    }

    /** The SGD over (user, positive, negative) triples, one epoch at a time, seeded. */
    static final class Trainer {
        private final TrainingData data;
        private final Params p;
        private final SplittableRandom rnd;
        private final float[][] users;
        private final float[][] items;
        private final int[] pairUser;
        private final int[] pairItem;
        private final int[][] sortedRows;

        Trainer(TrainingData data, Params p, long seed) {
            this.data = data;
            this.p = p;
            this.rnd = new SplittableRandom(seed);
            users = init(data.userCount(), p.dim());
            items = init(data.itemCount(), p.dim());
            int pairs = 0;
            sortedRows = new int[data.userCount()][];
            for (int u = 0; u < sortedRows.length; u++) {
                sortedRows[u] = data.itemsOf(u).clone();
                Arrays.sort(sortedRows[u]);
                pairs += sortedRows[u].length;
            }
            pairUser = new int[pairs];
            pairItem = new int[pairs];
            int n = 0;
            for (int u = 0; u < sortedRows.length; u++) {
                for (int i : sortedRows[u]) {
                    pairUser[n] = u;
                    pairItem[n++] = i;
                }
            }
        }

        private float[][] init(int rows, int dim) {
            float[][] m = new float[rows][dim];
            for (float[] row : m) {
                for (int k = 0; k < dim; k++) {
                    row[k] = (float) (gaussian() * 0.1);
                }
            }
            return m;
        }

        private double gaussian() {
            // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
            double u1 = 1 - rnd.nextDouble(), u2 = rnd.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }

        /** As many sampled triples as there are training pairs. */
        void epoch() {
            int itemCount = items.length;
            if (itemCount < 2) {
                return;
            }
            for (int n = 0; n < pairUser.length; n++) {
                int pair = rnd.nextInt(pairUser.length);
                int u = pairUser[pair], i = pairItem[pair];
                int j = rnd.nextInt(itemCount);
                int tries = 0;
                while (Arrays.binarySearch(sortedRows[u], j) >= 0 && ++tries < 100) {
                    j = rnd.nextInt(itemCount);
                }
                step(users[u], items[i], items[j]);
            }
        }

        private void step(float[] pu, float[] qi, float[] qj) {
            double x = 0;
            for (int k = 0; k < pu.length; k++) {
                x += pu[k] * (qi[k] - qj[k]);
            }
            double g = 1 / (1 + Math.exp(x)); // σ(−x): the gradient of ln σ(x)
            float lr = (float) p.learningRate(), l2 = (float) p.l2(), gf = (float) g;
            for (int k = 0; k < pu.length; k++) {
                float u = pu[k], a = qi[k], b = qj[k];
                pu[k] += lr * (gf * (a - b) - l2 * u);
                qi[k] += lr * (gf * u - l2 * a);
                qj[k] += lr * (-gf * u - l2 * b);
            }
        }

        /** The current factors as a model (copies, so training can go on). */
        BprMf model(int epochs) {
            float[][] u = new float[users.length][];
            for (int r = 0; r < u.length; r++) {
                u[r] = users[r].clone();
            }
            float[][] it = new float[items.length][];
            for (int r = 0; r < it.length; r++) {
                it[r] = items[r].clone();
            }
            return new BprMf(data, u, it, epochs);
        }
    }
}
