package io.walkstream.eval;

import io.walkstream.gen.DatasetFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything that determines an evaluation's figures (written into report.json).
 *
 * @param dataset      the log to split (null when {@code train}/{@code test} are given)
 * @param train        pre-split training log, in {@code format}
 * @param test         pre-split test file: {@code user item} or {@code user item neg1 neg2 …} per line
 * @param negatives    sampled protocol: negatives per user
 * @param cutoffFraction time-split: share of interactions before the cut-off
 * @param askAtEndOfTraining ask every request at the last training timestamp (walkstream then sees
 *                     the same training data as the baselines) instead of at its test timestamp
 * @param overrides    engine settings ({@code section.field=value}) on top of the evaluation defaults
 * @param vectors      a trained vectors file ({@code walkstream train}); null: built-in vectors only
 */
public record EvalSettings(
        Path dataset,
        DatasetFormat format,
        Protocol protocol,
        Path train,
        Path test,
        List<Integer> ks,
        long seed,
        int negatives,
        double cutoffFraction,
        boolean askAtEndOfTraining,
        double rp3Alpha,
        double rp3Beta,
        Path configFile,
        Map<String, String> overrides,
        Path vectors) {

    /** Settings without trained vectors. */
    public EvalSettings(Path dataset, DatasetFormat format, Protocol protocol, Path train, Path test, List<Integer> ks, long seed,
                        int negatives, double cutoffFraction, boolean askAtEndOfTraining, double rp3Alpha, double rp3Beta,
                        Path configFile, Map<String, String> overrides) {
        this(dataset, format, protocol, train, test, ks, seed, negatives, cutoffFraction, askAtEndOfTraining, rp3Alpha, rp3Beta,
                configFile, overrides, null);
    }

    /**
     * Engine settings every evaluation starts from: requests see exactly the events stamped at or
     * before them (END_OF_INPUT alignment), parallelism 2 on the heap backend, no checkpoints, a
     * deadline long enough that waiting for the replay never makes an answer partial, and exclusion
     * lists long enough for MovieLens' heaviest users.
     */
    public static final Map<String, String> ENGINE_DEFAULTS = Map.of(
            "walk.alignment", "END_OF_INPUT",
            "job.parallelism", "2",
            "job.stateBackend", "hashmap",
            "job.checkpointIntervalMs", "0",
            "job.name", "walkstream-eval",
            "walk.timeoutMs", "3600000",
            "rank.maxExcludes", "5000",
            "graph.stateTtlMs", "0");
}
