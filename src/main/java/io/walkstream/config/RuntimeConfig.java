package io.walkstream.config;

import java.io.Serializable;
import java.util.List;

/** How Flink runs the job: name, parallelism, state backend, checkpoints. */
public class RuntimeConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum StateBackend {
        HASHMAP,
        ROCKSDB
    }

    @Setting("Flink job name.")
    public String name = "walkstream";

    @Setting("Default operator parallelism.")
    public int parallelism = 2;

    @Setting("`HASHMAP` (heap) or `ROCKSDB` (any case).")
    public StateBackend stateBackend = StateBackend.HASHMAP;

    /** {@link #checkpointIntervalMs}'s default, as text for command-line defaults. */
    public static final String DEFAULT_CHECKPOINT_INTERVAL_MS = "60000";

    @Setting(
            "Checkpoint interval; 0 disables checkpoints. The heap backend writes its whole state at every checkpoint, "
                    + "on a core the walk would use: on the requests benchmark's 0.9 GiB one took about 9 s, so at 10 s the "
                    + "job was snapshotting nearly all the time (200 requests/s offered: 168/s answered, against all 200 at "
                    + "60 s). A failure replays up to one interval of input from Kafka; with `kafka.delivery: exactly-once` "
                    + "answers wait up to one interval to become visible (set it shorter there). See "
                    + "[performance](performance.md#checkpoints).")
    public long checkpointIntervalMs = Long.parseLong(DEFAULT_CHECKPOINT_INTERVAL_MS);

    @Setting(
            "Where checkpoints go, a URI such as `file:///var/lib/walkstream/checkpoints`; none keeps Flink's default.")
    public String checkpointDir;

    void validate(List<String> problems) {
        if (name == null || name.isBlank()) {
            problems.add("job.name must not be empty");
        }
        GraphConfig.positive(problems, "job.parallelism", parallelism);
        if (stateBackend == null) {
            problems.add("job.stateBackend must be HASHMAP or ROCKSDB");
        }
        if (checkpointIntervalMs < 0) {
            problems.add("job.checkpointIntervalMs must be >= 0, got " + checkpointIntervalMs);
        }
    }
}
