package io.walkstream.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkstream.WalkstreamJob;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.JsonCodec;
import io.walkstream.io.KafkaJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the gateway's end-to-end tests stand on: a real in-process broker and the real job on a
 * local MiniCluster (parallelism 2), reading its own fresh topics. {@link #freshTopics()} gives
 * other topics no job reads, for gateways whose calls must go unanswered.
 */
final class LiveJob implements AutoCloseable {
    final EmbeddedKafka kafka;
    final JobConfig config;
    private JobClient job;

    private LiveJob(EmbeddedKafka kafka) throws Exception {
        this.kafka = kafka;
        this.config = freshTopics();
    }

    static LiveJob start() throws Exception {
        LiveJob live = new LiveJob(EmbeddedKafka.start());
        try {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(
                            WalkstreamJob.flinkConfiguration(live.config));
            env.setBufferTimeout(5);
            KafkaJob.attach(live.config, env);
            live.job = env.executeAsync(live.config.job.name);
            return live;
        } catch (Exception e) {
            live.close();
            throw e;
        }
    }

    /** Fresh topics, so gateways (and tests' graphs) cannot see each other's records. */
    JobConfig freshTopics() throws Exception {
        String p = "g" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrapServers", kafka.bootstrapServers());
        m.put("kafka.groupId", p + "job");
        m.put("kafka.startOffsets", "EARLIEST");
        for (String t :
                List.of(
                        "interactions",
                        "items",
                        "requests",
                        "strategies",
                        "recommendations",
                        "dead-letters")) {
            String field = t.equals("dead-letters") ? "deadLettersTopic" : t + "Topic";
            m.put("kafka." + field, p + t);
        }
        m.put("job.parallelism", "2");
        m.put("job.checkpointIntervalMs", "1000");
        JobConfig cfg = ConfigLoader.parse("", m);
        kafka.createTopics(2, cfg.kafka.allTopics());
        return cfg;
    }

    /** The item ids of an answer, in rank order. */
    static List<String> items(String answerJson) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode n : JsonCodec.mapper().readTree(answerJson).get("items")) {
            out.add(n.get("item").asText());
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        } finally {
            kafka.close();
        }
    }
}
