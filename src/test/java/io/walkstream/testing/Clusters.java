package io.walkstream.testing;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig;
import io.walkstream.config.WalkConfig;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster every job test shares (2 slots: parallelism 2), and test configurations. */
public final class Clusters {
    private Clusters() {}

    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /**
     * A configuration for deterministic tests: parallelism 2, the given backend, walks aligned to
     * the event watermark (a request sees exactly the events before it), no checkpoints (bounded
     * runs).
     */
    public static JobConfig config(RuntimeConfig.StateBackend backend) {
        JobConfig cfg = new JobConfig();
        cfg.job.parallelism = 2;
        cfg.job.stateBackend = backend;
        cfg.job.checkpointIntervalMs = 0;
        cfg.walk.alignment = WalkConfig.Alignment.WATERMARK;
        cfg.walk.outOfOrdernessMs = 0;
        cfg.walk.idleTimeoutMs = 0;
        cfg.walk.timeoutMs =
                120_000; // bounded runs answer at the final watermark; never race a deadline
        return cfg;
    }
}
