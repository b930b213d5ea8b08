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

    @Setting("Checkpoint interval; 0 disables checkpoints.")
    public long checkpointIntervalMs = 5000;

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
