package io.walkstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    static Trainer.Epoch epoch(int n, double hr, double auc) {
        return new Trainer.Epoch(n, 1, hr, auc, 0);
    }

    static float[][] vectors(int n) {
        return new float[][] {{n}};
    }

    @Test
    void keepsTheBestEpochAndStopsAfterPatienceEpochsWithoutImprovement() {
        EarlyStopping s = new EarlyStopping(2, true);
        assertThat(s.offer(epoch(1, 0.10, 0.8), vectors(1))).isTrue();
        assertThat(s.offer(epoch(2, 0.20, 0.8), vectors(2))).isTrue();
        assertThat(s.offer(epoch(3, 0.20, 0.7), vectors(3))).as("tie, lower AUC").isFalse();
        assertThat(s.done()).isFalse();
        assertThat(s.offer(epoch(4, 0.20, 0.9), vectors(4))).as("tie, higher AUC").isTrue();
        assertThat(s.offer(epoch(5, 0.15, 0.9), vectors(5))).isFalse();
        assertThat(s.done()).isFalse();
        assertThat(s.offer(epoch(6, 0.19, 0.95), vectors(6))).isFalse();
        assertThat(s.done()).isTrue();
        assertThat(s.bestEpoch()).isEqualTo(4);
        assertThat(s.bestVectors()[0][0]).isEqualTo(4f);
        assertThat(s.summary()).contains("kept epoch 4 of 6", "stopped after 2 epochs");
    }

    @Test
    void withoutPatienceOrValidationItNeverStopsEarly() {
        EarlyStopping off = new EarlyStopping(0, true);
        EarlyStopping blind = new EarlyStopping(1, false);
        for (int e = 1; e <= 5; e++) {
            off.offer(epoch(e, 1.0 / e, 0.5), vectors(e));
            assertThat(blind.offer(epoch(e, 0, 0), vectors(e))).isTrue();
        }
        assertThat(off.done()).isFalse();
        assertThat(off.bestEpoch()).isEqualTo(1);
        assertThat(blind.done()).isFalse();
        assertThat(blind.bestEpoch()).as("no validation: the last epoch").isEqualTo(5);
    }
}
