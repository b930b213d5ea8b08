package io.walkstream.cli;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.KafkaJob;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the job on a local mini cluster (with web UI) against an existing Kafka, until stopped. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run the job locally against an existing Kafka (topics from the configuration).")
public class RunCommand implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();

    @Option(
            names = "--ui-port",
            description = "Flink web UI port (default ${DEFAULT-VALUE}; a free one if taken).")
    int uiPort = LocalFlink.DEFAULT_UI_PORT;

    @Option(
            names = "--create-topics",
            description = "Create missing topics (kafka.partitions partitions, replication 1).")
    boolean createTopics;

    @Override
    public Integer call() throws Exception {
        JobConfig cfg = options.load(Map.of());
        if (createTopics) {
            var k = cfg.kafka;
            EmbeddedKafka.createTopics(k, k.partitions, (short) 1, k.allTopics());
        }
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        StreamExecutionEnvironment env = LocalFlink.withWebUi(conf, uiPort);
        options.apply(env);
        KafkaJob.attach(cfg, env);
        System.err.printf(
                "walkstream: Kafka %s, web UI http://localhost:%d — Ctrl-C stops%n",
                cfg.kafka.bootstrapServers, conf.get(RestOptions.PORT));
        env.execute(cfg.job.name);
        return 0;
    }
}
