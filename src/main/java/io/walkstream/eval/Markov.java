package io.walkstream.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * Baseline: a recency-weighted first-order Markov chain of co-visitation. For every training
 * sequence ({@link Sequences}: time order, stable-hash ties, repeats collapsed) and each position
 * with item j, each of the {@code window} (m) preceding items i_k (k = 1 for the one just before)
 * adds {@code w(k)} to the transition {@code i_k → j}, with {@code w(k) = 1/k} ({@link
 * Decay#INVERSE}) or {@code 2^-(k-1)} ({@link Decay#HALVING}); a transition of an item to itself is
 * not counted. Optionally each source row is divided by its sum (row-normalised: transition
 * probabilities).
 *
 * <p>A user's score for j is {@code Σ_k 2^(-k/h) · T(s_k → j)} over the user's last {@code
 * lastItems} (L) distinct training items s_0 (the last), s_1, …, weighted the way the engine weighs
 * seeds ({@code walk.seedHalfLife} h). Only items that follow the user's recent items score above
 * 0.
 */
public final class Markov extends ScoringBaseline {
    /** How a transition's weight falls with the distance k between source and target. */
    public enum Decay {
        INVERSE("1/k"),
        HALVING("2^-(k-1)");

        private final String label;

        Decay(String label) {
            this.label = label;
        }

        double weight(int k) {
            return this == INVERSE ? 1.0 / k : Math.pow(2, -(k - 1));
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param window m: how many preceding items each target is counted from
     * @param decay transition weight by distance (irrelevant when m = 1)
     * @param lastItems L: how many of the user's last distinct items seed the score
     * @param rowNormalised divide each source row by its sum
     * @param twoStep share of the score that takes a second transition step (0: one step)
     */
    public record Params(
            int window, Decay decay, int lastItems, boolean rowNormalised, double twoStep) {
        public Params(int window, Decay decay, int lastItems, boolean rowNormalised) {
            this(window, decay, lastItems, rowNormalised, 0);
        }

        Params withTwoStep(double share) {
            return new Params(window, decay, lastItems, rowNormalised, share);
        }

        public String label() {
            return String.format(
                    Locale.ROOT,
                    "m=%d%s, L=%d%s%s",
                    window,
                    window > 1 ? ", " + decay.label() : "",
                    lastItems,
                    rowNormalised ? ", row-normalised" : "",
                    twoStep > 0 ? String.format(Locale.ROOT, ", two steps %.2f", twoStep) : "");
        }
    }

    /**
     * How many of the first step's strongest items take the second step: what an engine could
     * afford per request (the walk's transitions hop keeps at most {@code walk.transitionTop} next
     * items per seed).
     */
    static final int TWO_STEP_FROM = 32;

    /** Sparse transition rows {@code T[i][j]}, raw (unnormalised), with each row's sum. */
    static final class Transitions {
        final int[][] cols;
        final double[][] vals;
        final double[] rowSum;

        private Transitions(int[][] cols, double[][] vals, double[] rowSum) {
            this.cols = cols;
            this.vals = vals;
            this.rowSum = rowSum;
        }

        static Transitions count(int items, Sequences seqs, int window, Decay decay) {
            // Entries grouped by source (CSR), then summed per row in one reused accumulator.
            int[] perSource = new int[items];
            for (int[] s : seqs.all()) {
                for (int t = 1; t < s.length; t++) {
                    for (int k = 1; k <= window && k <= t; k++) {
                        if (s[t - k] != s[t]) {
                            perSource[s[t - k]]++;
                        }
                    }
                }
            }
            int[] start = new int[items + 1];
            for (int i = 0; i < items; i++) {
                start[i + 1] = start[i] + perSource[i];
            }
            int[] target = new int[start[items]];
            double[] weight = new double[start[items]];
            int[] fill = Arrays.copyOf(start, items);
            double[] w = new double[window + 1];
            for (int k = 1; k <= window; k++) {
                w[k] = decay.weight(k);
            }
            for (int[] s : seqs.all()) {
                for (int t = 1; t < s.length; t++) {
                    for (int k = 1; k <= window && k <= t; k++) {
                        int i = s[t - k];
                        if (i == s[t]) {
                            continue;
                        }
                        target[fill[i]] = s[t];
                        weight[fill[i]++] = w[k];
                    }
                }
            }
            int[][] cols = new int[items][];
            double[][] vals = new double[items][];
            double[] rowSum = new double[items];
            SparseScores acc = new SparseScores(items);
            for (int i = 0; i < items; i++) {
                for (int p = start[i]; p < start[i + 1]; p++) {
                    acc.add(target[p], weight[p]);
                }
                int n = acc.size();
                int[] c = new int[n];
                for (int t = 0; t < n; t++) {
                    c[t] = acc.item(t);
                }
                Arrays.sort(c);
                double[] x = new double[n];
                double sum = 0;
                for (int t = 0; t < n; t++) {
                    sum += x[t] = acc.get(c[t]);
                }
                acc.clear();
                cols[i] = c;
                vals[i] = x;
                rowSum[i] = sum;
            }
            return new Transitions(cols, vals, rowSum);
        }
    }

    private final Sequences seqs;
    private final Params params;
    private final double seedHalfLife;
    private final Transitions transitions;

    public Markov(TrainingData data, Sequences seqs, Params params, double seedHalfLife) {
        this(
                data,
                seqs,
                params,
                seedHalfLife,
                Transitions.count(data.itemCount(), seqs, params.window(), params.decay()));
    }

    /**
     * With transitions counted for the same window and decay (shared between L and normalisation
     * settings).
     */
    Markov(
            TrainingData data,
            Sequences seqs,
            Params params,
            double seedHalfLife,
            Transitions transitions) {
        super(data);
        this.seqs = seqs;
        this.params = params;
        this.seedHalfLife = seedHalfLife;
        this.transitions = transitions;
    }

    public Params params() {
        return params;
    }

    @Override
    public String name() {
        return "markov (" + params.label() + ", seeds h=" + seedHalfLife + ")";
    }

    @Override
    void accumulate(int[] history, SparseScores acc) {
        throw new UnsupportedOperationException(
                "markov scores from the user's sequence: accumulate(user, history, acc)");
    }

    @Override
    void accumulate(String user, int[] history, SparseScores acc) {
        int[] seeds = Sequences.recentDistinct(seqs.of(user), params.lastItems());
        for (int k = 0; k < seeds.length; k++) {
            int i = seeds[k];
            double sum = transitions.rowSum[i];
            if (sum <= 0) {
                continue;
            }
            double w =
                    Sequences.recencyWeight(k, seedHalfLife) / (params.rowNormalised() ? sum : 1.0);
            int[] c = transitions.cols[i];
            double[] x = transitions.vals[i];
            for (int t = 0; t < c.length; t++) {
                acc.add(c[t], w * x[t]);
            }
        }
        if (params.twoStep() > 0) {
            addSecondStep(acc);
        }
    }

    /**
     * Score ∝ (1 − a) · s1 + a · s1' · P, where s1 is the one-step score, s1' its {@link
     * #TWO_STEP_FROM} strongest entries and P the row-normalised transitions: mass that moved on to
     * what usually follows the user's likely next items (i → j → k).
     */
    private void addSecondStep(SparseScores acc) {
        TopK strongest = new TopK(TWO_STEP_FROM, data.ties());
        for (int t = 0; t < acc.size(); t++) {
            strongest.offer(acc.item(t), acc.get(acc.item(t)));
        }
        int[] via = strongest.drainBestFirst();
        double[] mass = new double[via.length]; // read before the second step adds to them
        for (int t = 0; t < via.length; t++) {
            mass[t] = acc.get(via[t]);
        }
        double scale = params.twoStep() / (1 - params.twoStep());
        for (int t = 0; t < via.length; t++) {
            int j = via[t];
            double sum = transitions.rowSum[j];
            if (sum <= 0) {
                continue;
            }
            double w = scale * mass[t] / sum;
            int[] c = transitions.cols[j];
            double[] x = transitions.vals[j];
            for (int q = 0; q < c.length; q++) {
                acc.add(c[q], w * x[q]);
            }
        }
    }
}
