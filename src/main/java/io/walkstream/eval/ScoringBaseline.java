package io.walkstream.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A baseline that scores every training item for a user from the training matrix. Ranking excludes
 * the user's training history; ties break by a stable hash of the item id (never by id order, which
 * correlates with popularity on MovieLens). Items without training interactions score lowest.
 */
abstract class ScoringBaseline implements Recommender {
    protected final TrainingData data;

    ScoringBaseline(TrainingData data) {
        this.data = data;
    }

    /** Scores of every item index for a user with these training items. */
    abstract double[] scores(int[] history);

    @Override
    public List<String> recommend(TestCase test, int k) {
        int[] history = data.history(test.user());
        double[] s = scores(history);
        Comparator<Scored> best = Comparator.comparingDouble(Scored::score).reversed().thenComparingLong(Scored::tie);
        if (test.isSampled()) {
            List<Scored> all = new ArrayList<>();
            for (String c : test.candidates()) {
                int i = data.indexOf(c);
                all.add(new Scored(c, i < 0 ? Double.NEGATIVE_INFINITY : s[i], StableHash.of(c, "", 1)));
            }
            all.sort(best);
            return all.stream().map(Scored::item).toList();
        }
        boolean[] seen = new boolean[data.itemCount()];
        for (int i : history) seen[i] = true;
        PriorityQueue<Scored> top = new PriorityQueue<>(best.reversed());
        for (int i = 0; i < s.length; i++) {
            if (seen[i]) continue;
            top.add(new Scored(data.item(i), s[i], StableHash.of(data.item(i), "", 1)));
            if (top.size() > k) top.poll();
        }
        List<String> out = new ArrayList<>(top.size());
        while (!top.isEmpty()) out.add(top.poll().item());
        java.util.Collections.reverse(out);
        return out;
    }

    private record Scored(String item, double score, long tie) {}
}
