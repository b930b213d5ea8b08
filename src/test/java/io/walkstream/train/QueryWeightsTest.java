package io.walkstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.GraphConfig;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The user vector the trainer and its validation form: recency (the k-th most recent item 2^(−k/h))
 * times the item's action weight, as the job weighs seeds.
 */
class QueryWeightsTest {
    @Test
    void recentAndStrongerInteractionsWeighMore() {
        long t = 1_700_000_000_000L;
        TrainingGraph g =
                new TrainingGraph(
                        List.of(
                                Event.interaction("u", "a", Action.VIEW, t),
                                Event.interaction("u", "b", Action.PURCHASE, t + 1),
                                Event.interaction("u", "c", Action.VIEW, t + 2),
                                Event.interaction("u", "c", Action.VIEW, t + 3)),
                        Map.of(),
                        0);
        float[][] vectors = new float[3][];
        vectors[g.itemIndex.get("a")] = new float[] {1, 0, 0};
        vectors[g.itemIndex.get("b")] = new float[] {0, 1, 0};
        vectors[g.itemIndex.get("c")] = new float[] {0, 0, 1};
        double[] user = HoldOut.userVector(g, 0, vectors, new QueryWeights(2, 64));
        GraphConfig w = new GraphConfig();
        double view = w.weight(Action.VIEW.code()), purchase = w.weight(Action.PURCHASE.code());
        assertThat(purchase).isGreaterThan(view);
        assertThat(user[2]).as("c: latest, viewed twice").isCloseTo(2 * view, Offset.offset(1e-9));
        assertThat(user[1]).isCloseTo(Math.pow(2, -0.5) * purchase, Offset.offset(1e-9));
        assertThat(user[0]).isCloseTo(0.5 * view, Offset.offset(1e-9));
        double[] equal = HoldOut.userVector(g, 0, vectors, new QueryWeights(0, 2));
        assertThat(equal)
                .containsExactly(new double[] {0, purchase, 2 * view}, Offset.offset(1e-9));
    }
}
