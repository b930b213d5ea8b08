package io.walkstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the demo's warm-up ends. */
class WarmUpTest {
    @Test
    void endsOnceTheLastFiftyAnswersAreWithinTheTargetButNotBeforeItsMinimum() {
        WarmUp w = new WarmUp(3, 60, 100);
        for (int i = 0; i < WarmUp.WINDOW - 1; i++) {
            w.answered(40);
        }
        assertThat(w.goesOn(10)).as("49 answers are not enough").isTrue();
        w.answered(100);
        assertThat(w.goesOn(10)).isFalse();
        assertThat(w.goesOn(2)).as("the minimum holds").isTrue();
        assertThat(w.outcome(10)).contains("warmed up in 10.0 s");
    }

    @Test
    void oneSlowAnswerAmongTheLastFiftyKeepsItGoingUntilItsMaximum() {
        WarmUp w = new WarmUp(3, 60, 100);
        w.answered(400);
        for (int i = 0; i < WarmUp.WINDOW - 1; i++) {
            w.answered(40);
        }
        assertThat(w.goesOn(30)).isTrue();
        assertThat(w.goesOn(60)).isFalse();
        assertThat(w.outcome(60)).contains("limit of 60 s").contains("took 400 ms");
        w.answered(40); // the slow one leaves the window
        assertThat(w.goesOn(30)).isFalse();
    }
}
