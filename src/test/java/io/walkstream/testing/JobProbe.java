package io.walkstream.testing;

import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * What a MiniCluster knows about a job: completed checkpoints and how often its tasks were
 * restarted.
 */
public final class JobProbe {
    private JobProbe() {}

    public static long completedCheckpoints(MiniCluster mini, JobID job) throws Exception {
        var stats = mini.getArchivedExecutionGraph(job).get().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /**
     * Restarts seen by the job: the highest attempt number of any subtask (0 = never restarted).
     */
    public static int restarts(MiniCluster mini, JobID job) throws Exception {
        AccessExecutionGraph g = mini.getArchivedExecutionGraph(job).get();
        int max = 0;
        for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
            max = Math.max(max, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return max;
    }

    static String failure(MiniCluster mini, JobID job) throws Exception {
        var info = mini.getArchivedExecutionGraph(job).get().getFailureInfo();
        return info == null ? "none" : info.getExceptionAsString();
    }

    /** Waits until the job has completed at least {@code n} checkpoints. */
    public static void awaitCheckpoints(MiniCluster mini, JobID job, long n, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completedCheckpoints(mini, job) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "fewer than "
                                + n
                                + " checkpoints completed within "
                                + timeout
                                + "; job "
                                + mini.getJobStatus(job).get()
                                + ", failure: "
                                + failure(mini, job));
            }
            Thread.sleep(50);
        }
    }
}
