package io.walkstream.train;

import java.util.Locale;

/**
 * Keeps the vectors of the epoch with the best validation HR@10 (ties: the higher AUC, then the
 * earlier epoch) and says when {@code patience} epochs in a row have not beaten it. Without
 * validation pairs every epoch counts as the best, so training runs all its epochs and keeps the
 * last.
 */
final class EarlyStopping {
    private final int patience;
    private final boolean validated;
    private Trainer.Epoch best;
    private float[][] bestVectors;
    private int sinceBest;
    private int epochs;

    /**
     * @param patience epochs without improvement before stopping; 0: never stop early
     * @param validated whether the epochs carry validation figures (else each is the best)
     */
    EarlyStopping(int patience, boolean validated) {
        this.patience = patience;
        this.validated = validated;
    }

    /** Records an epoch; returns whether it is the best so far. */
    boolean offer(Trainer.Epoch e, float[][] vectors) {
        epochs++;
        boolean better =
                best == null
                        || !validated
                        || e.validationHr10() > best.validationHr10()
                        || (e.validationHr10() == best.validationHr10()
                                && e.validationAuc() > best.validationAuc());
        if (better) {
            best = e;
            bestVectors = vectors;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
        return better;
    }

    boolean done() {
        return patience > 0 && sinceBest >= patience;
    }

    float[][] bestVectors() {
        return bestVectors;
    }

    /** The kept epoch; null before the first. */
    Trainer.Epoch best() {
        return best;
    }

    int bestEpoch() {
        return best == null ? 0 : best.epoch();
    }

    String summary() {
        return String.format(
                Locale.ROOT,
                "kept epoch %d of %d (validation HR@10 %.4f, AUC %.4f)%s",
                bestEpoch(),
                epochs,
                best == null ? 0 : best.validationHr10(),
                best == null ? 0 : best.validationAuc(),
                done() ? "; stopped after " + patience + " epochs without improvement" : "");
    }
}
