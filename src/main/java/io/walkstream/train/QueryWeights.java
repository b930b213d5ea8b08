package io.walkstream.train;

/**
 * How a user's recent items are weighed into the vector that candidates are compared with, as the
 * job weighs seeds ({@code walk.seedHalfLife}): the k-th most recent item weighs 2^(−k / halfLife),
 * over at most {@code window} items, times its action weight ({@code
 * TrainingGraph.sequenceWeights}; the job's time decay is left out). Training, validation and
 * serving then aggregate alike, so the vectors learn what the job will ask of them: follow what the
 * user did last.
 */
final class QueryWeights {
    private final double[] weights;

    /**
     * @param halfLife in interactions; 0: every item of the window weighs the same
     */
    QueryWeights(double halfLife, int window) {
        weights = new double[window];
        double step = halfLife > 0 ? Math.pow(2, -1 / halfLife) : 1;
        double w = 1;
        for (int k = 0; k < window; k++) {
            weights[k] = w;
            w *= step;
        }
    }

    /** Items taken into account, most recent first. */
    int window() {
        return weights.length;
    }

    /** The weight of the k-th most recent item (k = 0: the latest). */
    double of(int k) {
        return weights[k];
    }
}
