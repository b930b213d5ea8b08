package io.walkstream.cli;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.io.KafkaJob;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The cluster entry point: {@code flink run -c io.walkstream.cli.JobMain walkstream-job.jar
 * --config cluster.yaml [--set k=v ...]}. Submits the Kafka job to whatever environment Flink
 * provides.
 */
@Command(
        name = "walkstream-job",
        mixinStandardHelpOptions = true,
        description =
                "Submit the walkstream Kafka job to the Flink cluster that runs this program.")
public class JobMain implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();

    public static void main(String[] args) {
        int code = new CommandLine(new JobMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        JobConfig cfg = options.load(Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        WalkstreamJob.flinkConfiguration(cfg));
        Optional<String> problem = checkpointStorageProblem(env.getConfiguration());
        if (problem.isPresent()) {
            System.err.println("walkstream-job: " + problem.get());
            return 2;
        }
        options.apply(env);
        KafkaJob.attach(cfg, env);
        env.execute(cfg.job.name);
        return 0;
    }

    /** Refuses checkpoints without a place to keep them ({@link CheckpointStorage}). */
    static Optional<String> checkpointStorageProblem(ReadableConfig conf) {
        if (!CheckpointStorage.missing(conf)) {
            return Optional.empty();
        }
        return Optional.of(
                "checkpoints are on but have no directory: set job.checkpointDir (or the cluster's"
                        + " execution.checkpointing.dir) to a durable URI such as s3://bucket/checkpoints;"
                        + " the JobManager's memory, Flink's default, holds at most 5 MB of state per"
                        + " subtask");
    }
}
