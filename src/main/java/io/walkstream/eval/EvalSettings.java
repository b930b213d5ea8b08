package io.walkstream.eval;

import io.walkstream.gen.DatasetFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything that determines an evaluation's figures (written into report.json).
 *
 * @param dataset the log to split (null when {@code train}/{@code test} are given)
 * @param train pre-split training log, in {@code format}
 * @param test pre-split test file: {@code user item} or {@code user item neg1 neg2 …} per line
 * @param negatives sampled protocol: negatives per user
 * @param cutoffFraction time-split: share of interactions before the cut-off
 * @param askAtEndOfTraining ask every request at the last training timestamp (walkstream then sees
 *     the same training data as the baselines) instead of at its test timestamp
 * @param overrides engine settings ({@code section.field=value}) on top of the evaluation defaults
 * @param vectors a trained vectors file ({@code walkstream train}); null: built-in vectors only
 * @param requestWindow most walkstream requests open at once (0: all; see {@link RequestWindow})
 * @param baselines compute the baselines too (false: walkstream alone, for tuning the engine)
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
        int requestWindow,
        Path vectors,
        boolean baselines) {

    /** Requests open at once unless told otherwise: bounds the job's memory, costs no quality. */
    public static final int DEFAULT_REQUEST_WINDOW = 256;

    /** Settings with every baseline. */
    public EvalSettings(
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
            int requestWindow,
            Path vectors) {
        this(
                dataset,
                format,
                protocol,
                train,
                test,
                ks,
                seed,
                negatives,
                cutoffFraction,
                askAtEndOfTraining,
                rp3Alpha,
                rp3Beta,
                configFile,
                overrides,
                requestWindow,
                vectors,
                true);
    }

    public EvalSettings(
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
            Map<String, String> overrides) {
        this(
                dataset,
                format,
                protocol,
                train,
                test,
                ks,
                seed,
                negatives,
                cutoffFraction,
                askAtEndOfTraining,
                rp3Alpha,
                rp3Beta,
                configFile,
                overrides,
                DEFAULT_REQUEST_WINDOW,
                null);
    }

    /** Settings with a request window and no trained vectors. */
    public EvalSettings(
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
            int requestWindow) {
        this(
                dataset,
                format,
                protocol,
                train,
                test,
                ks,
                seed,
                negatives,
                cutoffFraction,
                askAtEndOfTraining,
                rp3Alpha,
                rp3Beta,
                configFile,
                overrides,
                requestWindow,
                null);
    }

    /** Settings with trained vectors and the default request window. */
    public EvalSettings(
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
        this(
                dataset,
                format,
                protocol,
                train,
                test,
                ks,
                seed,
                negatives,
                cutoffFraction,
                askAtEndOfTraining,
                rp3Alpha,
                rp3Beta,
                configFile,
                overrides,
                DEFAULT_REQUEST_WINDOW,
                vectors);
    }

    /**
     * Engine settings every evaluation starts from — all of them settings that only make sense
     * offline, reported in report.json ({@code parameters.harnessSettings}); the engine's own
     * defaults apply to everything else:
     *
     * <ul>
     *   <li>requests see exactly the events stamped at or before them (END_OF_INPUT alignment);
     *       parallelism 2 on the heap backend, no checkpoints, no state TTL (a replay's processing
     *       time means nothing);
     *   <li>a deadline long enough that waiting for the replay never makes an answer partial;
     *   <li>exclusion lists long enough for MovieLens' heaviest users (the whole training history
     *       is excluded);
     *   <li>ring capacities of 4096 per user and item, and 32768 transition edges per item (up to
     *       {@code graph.transitionWindow} per interaction of the item's users): every request is
     *       answered after the whole replay but at its own (earlier) time, so it looks back — a
     *       ring holding only an item's latest 512 users would hold mostly edges stamped after the
     *       request, invisible to it (87% partial answers on MovieLens 100K). Live requests ask at
     *       "now", where the latest edges are the ones that count.
     * </ul>
     */
    public static final Map<String, String> ENGINE_DEFAULTS =
            Map.ofEntries(
                    Map.entry("walk.alignment", "END_OF_INPUT"),
                    Map.entry("job.parallelism", "2"),
                    Map.entry("job.stateBackend", "hashmap"),
                    Map.entry("job.checkpointIntervalMs", "0"),
                    Map.entry("job.name", "walkstream-eval"),
                    Map.entry("walk.timeoutMs", "3600000"),
                    Map.entry("rank.maxExcludes", "5000"),
                    Map.entry("graph.stateTtlMs", "0"),
                    Map.entry("graph.itemCapacity", "4096"),
                    Map.entry("graph.userCapacity", "4096"),
                    Map.entry("graph.transitionCapacity", "32768"));
}
