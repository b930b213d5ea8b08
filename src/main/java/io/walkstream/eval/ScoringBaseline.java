package io.walkstream.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A baseline that scores items for a user from the training matrix. Ranking excludes the user's
 * training history; higher scores first, ties broken by a stable hash of the item id (never by id
 * order, which correlates with popularity on MovieLens), computed once per item ({@link
 * TrainingData#ties()}). Items without training interactions score lowest.
 *
 * <p><b>Sparse methods</b> (the default) implement {@link #accumulate}: they add scores only to the
 * items reachable from the history, every other item scores 0. The top k is then taken over the
 * reached items, and when fewer than k of them score above 0 the list is filled with the items
 * scoring 0 in tie-hash order — exactly the ranking a sort of every item would give, without a pass
 * over the catalogue per user. <b>Dense methods</b> (a model with a score for every item, such as
 * EASE or vector cosine) override {@link #isSparse()} and {@link #scores}.
 */
abstract class ScoringBaseline implements Recommender {
    protected final TrainingData data;
    private SparseScores scratch;
    private boolean[] seen;

    ScoringBaseline(TrainingData data) {
        this.data = data;
    }

    /**
     * Sparse methods: adds the user's score of every item reached from the history; unreached items
     * score 0.
     */
    void accumulate(int[] history, SparseScores acc) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " is dense: it implements scores()");
    }

    /**
     * As {@link #accumulate(int[], SparseScores)}, for methods that need the user's own record
     * (e.g. the order of the history).
     */
    void accumulate(String user, int[] history, SparseScores acc) {
        accumulate(history, acc);
    }

    /** As {@link #scores(int[])}, for methods that need the user's own record. */
    double[] scores(String user, int[] history) {
        if (!isSparse()) {
            return scores(history);
        }
        SparseScores acc = new SparseScores(data.itemCount());
        accumulate(user, history, acc);
        return acc.toDense();
    }

    /** Whether {@link #accumulate} is the method's scoring (else {@link #scores}). */
    boolean isSparse() {
        return true;
    }

    /**
     * Scores of every item index for a user with these training items (sparse methods: from {@link
     * #accumulate}).
     */
    double[] scores(int[] history) {
        SparseScores acc = new SparseScores(data.itemCount());
        accumulate(history, acc);
        return acc.toDense();
    }

    @Override
    public List<String> recommend(TestCase test, int k) {
        int[] history = data.history(test.user());
        if (test.isSampled()) {
            return rankCandidates(test, history);
        }
        int[] top =
                isSparse()
                        ? topSparse(test.user(), history, k)
                        : topDense(scores(test.user(), history), history, k);
        List<String> out = new ArrayList<>(top.length);
        for (int i : top) {
            out.add(data.item(i));
        }
        return out;
    }

    /**
     * The top k over the reached items, filled up with the 0-scoring ones in tie order when too few
     * score above 0.
     */
    int[] topSparse(String user, int[] history, int k) {
        if (scratch == null) {
            scratch = new SparseScores(data.itemCount());
        }
        SparseScores acc = scratch;
        boolean[] excluded = seenOf(history);
        try {
            accumulate(user, history, acc);
            long[] ties = data.ties();
            TopK positive = new TopK(k, ties);
            int negatives = 0;
            for (int t = 0; t < acc.size(); t++) {
                int j = acc.item(t);
                if (excluded[j]) {
                    continue;
                }
                int sign = Double.compare(acc.get(j), 0.0);
                if (sign > 0) {
                    positive.offer(j, acc.get(j));
                } else if (sign < 0) {
                    negatives++;
                }
            }
            int[] best = positive.drainBestFirst();
            if (best.length == k) {
                return best;
            }
            int[] out = Arrays.copyOf(best, k);
            int n = best.length;
            // Items scoring exactly 0 (untouched, or touched with 0), in tie order.
            for (int j : data.tieOrder()) {
                if (n == k) {
                    break;
                }
                if (excluded[j] || (acc.isTouched(j) && Double.compare(acc.get(j), 0.0) != 0)) {
                    continue;
                }
                out[n++] = j;
            }
            if (n < k && negatives > 0) {
                TopK negative = new TopK(k - n, ties);
                for (int t = 0; t < acc.size(); t++) {
                    int j = acc.item(t);
                    if (!excluded[j] && Double.compare(acc.get(j), 0.0) < 0) {
                        negative.offer(j, acc.get(j));
                    }
                }
                for (int j : negative.drainBestFirst()) {
                    out[n++] = j;
                }
            }
            return Arrays.copyOf(out, n);
        } finally {
            acc.clear();
            for (int i : history) {
                excluded[i] = false;
            }
        }
    }

    /**
     * The top k of a dense score array (one pass over the catalogue: for methods that score every
     * item).
     */
    int[] topDense(double[] s, int[] history, int k) {
        boolean[] excluded = seenOf(history);
        try {
            TopK top = new TopK(k, data.ties());
            for (int i = 0; i < s.length; i++) {
                if (!excluded[i]) {
                    top.offer(i, s[i]);
                }
            }
            return top.drainBestFirst();
        } finally {
            for (int i : history) {
                excluded[i] = false;
            }
        }
    }

    private boolean[] seenOf(int[] history) {
        if (seen == null) {
            seen = new boolean[data.itemCount()];
        }
        for (int i : history) {
            seen[i] = true;
        }
        return seen;
    }

    /**
     * Sampled protocol: every candidate, best first; candidates unknown to the training data score
     * lowest.
     */
    private List<String> rankCandidates(TestCase test, int[] history) {
        double[] dense = null;
        SparseScores acc = null;
        if (isSparse()) {
            if (scratch == null) {
                scratch = new SparseScores(data.itemCount());
            }
            acc = scratch;
            accumulate(test.user(), history, acc);
        } else {
            dense = scores(test.user(), history);
        }
        try {
            List<Scored> all = new ArrayList<>();
            long[] ties = data.ties();
            for (String c : test.candidates()) {
                int i = data.indexOf(c);
                double s = i < 0 ? Double.NEGATIVE_INFINITY : candidateScore(i, acc, dense);
                all.add(new Scored(c, s, i < 0 ? StableHash.of(c, "", 1) : ties[i]));
            }
            all.sort(
                    Comparator.comparingDouble(Scored::score)
                            .reversed()
                            .thenComparingLong(Scored::tie));
            return all.stream().map(Scored::item).toList();
        } finally {
            if (acc != null) {
                acc.clear();
            }
        }
    }

    /** A known candidate's score from the user's accumulated (sparse) or dense scores. */
    double candidateScore(int item, SparseScores acc, double[] dense) {
        return acc != null ? acc.get(item) : dense[item];
    }

    private record Scored(String item, double score, long tie) {}
}
