package io.walkstream.cli;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Whether a configuration takes checkpoints with nowhere durable to keep them. With neither a
 * checkpoint directory nor a chosen storage, Flink keeps checkpoints in the JobManager's memory,
 * which refuses more than 5 MB of state per subtask: the job starts, then fails every checkpoint
 * once its graph grows, and restarts in a loop. Local runs get a directory ({@link LocalFlink});
 * cluster jobs are refused ({@link JobMain}).
 */
final class CheckpointStorage {
    private CheckpointStorage() {}

    static boolean missing(ReadableConfig conf) {
        boolean checkpoints =
                conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                        .filter(d -> !d.isZero())
                        .isPresent();
        boolean stored =
                conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isPresent()
                        || conf.getOptional(CheckpointingOptions.CHECKPOINT_STORAGE).isPresent();
        return checkpoints && !stored;
    }
}
