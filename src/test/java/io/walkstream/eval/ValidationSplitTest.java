package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The validation split that tunes Markov and EASE never sees a test item. */
class ValidationSplitTest {
    /**
     * A random log in which every user's last interaction is an item nobody else touches ("t:" +
     * user).
     */
    private static List<Event> log() {
        List<Event> log = new ArrayList<>(SparseScoringTest.randomLog(3));
        for (int u = 0; u < 80; u++) {
            log.add(Event.interaction("u" + u, "t:u" + u, Action.RATE, 1_000_000L + u, 1f));
        }
        return log;
    }

    @Test
    void validationHoldsOutEachUsersLastTrainingInteractionAndNoTestItem() {
        List<Event> log = log();
        Split split = Splitter.leaveLastOut(log);
        assertThat(split.tests())
                .hasSize(80)
                .allMatch(t -> t.relevant().equals(Set.of("t:" + t.user())));
        Split val = Splitter.validation(split);

        // Trained only on test-split training events, targets among them too.
        Set<Event> train = Collections.newSetFromMap(new IdentityHashMap<>());
        train.addAll(split.train());
        assertThat(val.train()).allMatch(train::contains);
        for (TestCase t : split.tests()) {
            String testItem = t.relevant().iterator().next();
            assertThat(val.train()).noneMatch(e -> testItem.equals(e.item));
            assertThat(val.tests()).noneMatch(v -> v.relevant().contains(testItem));
        }
        TrainingData valData = new TrainingData(val.train());
        for (TestCase t : split.tests()) {
            assertThat(valData.indexOf(t.relevant().iterator().next())).isEqualTo(-1);
        }

        // Each validation target is the user's last training interaction (the second-to-last
        // overall).
        Map<String, Event> lastTrain = new LinkedHashMap<>();
        for (Event e : Splitter.lastPerUser(split.train())) {
            lastTrain.put(e.user, e);
        }
        for (TestCase v : val.tests()) {
            assertThat(v.relevant()).containsExactly(lastTrain.get(v.user()).item);
            assertThat(v.ts()).isEqualTo(lastTrain.get(v.user()).ts);
        }
        assertThat(val.tests()).isNotEmpty();
    }

    @Test
    void tuningSeesOnlyTheValidationSplit() {
        Split split = Splitter.leaveLastOut(log());
        TrainingData training = new TrainingData(split.train());
        Tuning.Validation val = Tuning.Validation.of(split);
        assertThat(val.split().train()).hasSize(split.train().size() - val.split().tests().size());
        Map<String, Object> facts = new LinkedHashMap<>();
        Markov m =
                Tuning.markov(
                        training,
                        Sequences.of(split.train(), training),
                        val,
                        2,
                        List.of(10),
                        facts);
        assertThat(facts.get("grid"))
                .asList()
                .hasSize(Tuning.markovGrid().size() + Tuning.MARKOV_TWO_STEP_SHARES.length);
        assertThat(facts.get("chosen")).isEqualTo(m.params().label());
        // Every grid row was measured on the validation requests, not on the test requests.
        assertThat(facts.get("grid"))
                .asList()
                .allSatisfy(
                        row ->
                                assertThat(((Map<?, ?>) row).get("requests"))
                                        .isEqualTo(val.split().tests().size()));
        Map<String, Object> easeFacts = new LinkedHashMap<>(),
                recentFacts = new LinkedHashMap<>(),
                rowsFacts = new LinkedHashMap<>();
        Sequences seqs = Sequences.of(split.train(), training);
        Tuning.EaseFits fits =
                Tuning.ease(
                        training,
                        seqs,
                        val,
                        2,
                        Tuning.EASE_LAMBDAS,
                        List.of(10),
                        easeFacts,
                        recentFacts);
        assertThat(easeFacts.get("grid"))
                .asList()
                .hasSize(Tuning.EASE_LAMBDAS.length)
                .allSatisfy(
                        row ->
                                assertThat(((Map<?, ?>) row).get("requests"))
                                        .isEqualTo(val.split().tests().size()));
        assertThat(recentFacts.get("grid")).asList().hasSize(Tuning.EASE_LAMBDAS.length);
        assertThat(fits.binary().lambda()).isIn(30.0, 100.0, 300.0, 1000.0, 3000.0);
        assertThat(fits.recentRow().name()).contains("recent user row h=2");
        Ease rows =
                Tuning.easeWeightedRows(
                        training, seqs, val, 2, fits.binary().lambda(), List.of(10), rowsFacts);
        assertThat(rowsFacts.get("grid")).asList().hasSize(3);
        assertThat(rows.name()).startsWith("EASE, recency-weighted rows");
    }
}
