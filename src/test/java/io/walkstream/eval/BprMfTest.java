package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * BPR-MF on two communities: 20 users like items a0…a9 and 20 like b0…b9, each user all but one of
 * their community's items. Learned factors must rank the held-back item of the user's own community
 * above every item of the other, the same way every time for one seed.
 */
class BprMfTest {
    private static final BprMf.Params SMALL = new BprMf.Params(8, 0.05, 0.001, 60, 5);

    private static List<Event> communities() {
        List<Event> events = new ArrayList<>();
        long ts = 0;
        for (String c : new String[] {"a", "b"}) {
            for (int u = 0; u < 20; u++) {
                for (int i = 0; i < 10; i++) {
                    if (i != u % 10) {
                        events.add(Event.interaction(c + "u" + u, c + i, Action.RATE, ts++, 1f));
                    }
                }
            }
        }
        return events;
    }

    private static BprMf fit(TrainingData data, int epochs, long seed) {
        BprMf.Trainer t = new BprMf.Trainer(data, SMALL, seed);
        for (int e = 0; e < epochs; e++) {
            t.epoch();
        }
        return t.model(epochs);
    }

    @Test
    void learnedFactorsRankTheUsersOwnCommunityFirst() {
        TrainingData data = new TrainingData(communities());
        BprMf model = fit(data, 40, 7);
        for (String c : new String[] {"a", "b"}) {
            String other = c.equals("a") ? "b" : "a";
            for (int u = 0; u < 20; u++) {
                String user = c + "u" + u;
                List<String> top = model.recommend(new TestCase(user, 0, Set.of("?"), null), 1);
                assertThat(top).as(user).containsExactly(c + (u % 10));
                double[] s = model.scores(user, data.history(user));
                double held = s[data.indexOf(c + (u % 10))];
                for (int i = 0; i < 10; i++) {
                    assertThat(held).isGreaterThan(s[data.indexOf(other + i)]);
                }
            }
        }
    }

    @Test
    void oneSeedGivesTheSameModelEveryTime() {
        TrainingData data = new TrainingData(communities());
        double[] first = fit(data, 10, 3).scores("au1", data.history("au1"));
        double[] again = fit(data, 10, 3).scores("au1", data.history("au1"));
        double[] other = fit(data, 10, 4).scores("au1", data.history("au1"));
        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void earlyStoppingRecordsItsCurveAndChoosesAnEpochCount() {
        Split split = Splitter.leaveLastOut(communities());
        TrainingData training = new TrainingData(split.train());
        Map<String, Object> facts = new LinkedHashMap<>();
        BprMf model =
                BprMf.tuned(training, Tuning.Validation.of(split), SMALL, 1, List.of(10), facts);
        assertThat(facts).containsKeys("grid", "chosen", "chosenEpochs", "params");
        assertThat((List<?>) facts.get("grid")).isNotEmpty();
        assertThat(facts.get("chosen")).isEqualTo(facts.get("chosenEpochs") + " epochs");
        assertThat((int) facts.get("chosenEpochs")).isBetween(5, 60);
        assertThat(model.name()).contains("epochs");
    }
}
