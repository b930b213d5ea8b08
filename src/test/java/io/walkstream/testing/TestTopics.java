package io.walkstream.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Settings that give a Kafka test topics, a consumer group and transactional ids of its own on a
 * shared broker, so tests sharing one cannot see each other's records; the caller creates the
 * topics.
 */
public final class TestTopics {
    private TestTopics() {}

    /**
     * The kafka.* settings for {@code bootstrap} under a fresh prefix, parallelism 2, then {@code
     * overrides}.
     */
    public static Map<String, String> settings(String bootstrap, Map<String, String> overrides) {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, String> all = new LinkedHashMap<>();
        all.put("kafka.bootstrapServers", bootstrap);
        all.put("kafka.groupId", prefix + "job");
        all.put("kafka.startOffsets", "EARLIEST");
        all.put("kafka.interactionsTopic", prefix + "interactions");
        all.put("kafka.itemsTopic", prefix + "items");
        all.put("kafka.requestsTopic", prefix + "requests");
        all.put("kafka.recommendationsTopic", prefix + "recommendations");
        all.put("kafka.deadLettersTopic", prefix + "dead-letters");
        all.put("kafka.strategiesTopic", prefix + "strategies");
        all.put("kafka.transactionalIdPrefix", prefix + "tx");
        all.put("job.parallelism", "2");
        all.putAll(overrides);
        return all;
    }
}
