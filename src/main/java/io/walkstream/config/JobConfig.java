package io.walkstream.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the job is built from. Loaded from YAML or JSON ({@link ConfigLoader}); every field
 * has a working default, so an empty file is a valid configuration.
 */
public class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    @Setting("How Flink runs the job: name, parallelism, state backend, checkpoints.")
    public RuntimeConfig job = new RuntimeConfig();

    @Setting("How the graph is kept: ring-buffer capacities, edge weights, time decay, state TTL.")
    public GraphConfig graph = new GraphConfig();

    @Setting(
            "How walks run: walkers, seeds, the last hop, transport, deadlines, admission, and which events a "
                    + "request sees.")
    public WalkConfig walk = new WalkConfig();

    @Setting("How walk visits become a ranked answer.")
    public RankConfig rank = new RankConfig();

    @Setting("Built-in streaming item vectors and the limits on supplied ones.")
    public EmbeddingConfig embedding = new EmbeddingConfig();

    @Setting(
            "Where the job reads and writes: broker, topics, consumer group, start offsets, delivery, and the client "
                    + "settings (security) every Kafka client of the project is built with.")
    public KafkaConfig kafka = new KafkaConfig();

    @Setting(
            "Where channel strategies come from, and which one serves requests without a known channel.")
    public StrategiesConfig strategies = new StrategiesConfig();

    /** Every problem with this configuration, each naming the field; empty when it is valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (job == null
                || graph == null
                || walk == null
                || rank == null
                || embedding == null
                || kafka == null
                || strategies == null) {
            problems.add(
                    "a configuration section (job, graph, walk, rank, embedding, kafka, strategies) is null");
            return problems;
        }
        job.validate(problems);
        graph.validate(problems);
        walk.validate(problems);
        rank.validate(problems);
        embedding.validate(problems);
        kafka.validate(problems, job);
        strategies.validate(problems);
        return problems;
    }

    /** Throws with every problem listed when the configuration is invalid. */
    public JobConfig validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return this;
    }
}
