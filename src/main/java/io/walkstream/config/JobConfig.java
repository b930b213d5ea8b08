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

    public RuntimeConfig job = new RuntimeConfig();
    public GraphConfig graph = new GraphConfig();
    public WalkConfig walk = new WalkConfig();
    public RankConfig rank = new RankConfig();
    public EmbeddingConfig embedding = new EmbeddingConfig();
    public KafkaConfig kafka = new KafkaConfig();
    public StrategiesConfig strategies = new StrategiesConfig();

    /** Every problem with this configuration, each naming the field; empty when it is valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (job == null || graph == null || walk == null || rank == null || embedding == null || kafka == null || strategies == null) {
            problems.add("a configuration section (job, graph, walk, rank, embedding, kafka, strategies) is null");
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
            throw new IllegalArgumentException("invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return this;
    }
}
