package io.walkstream.config;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the job reads and writes: broker, topics, consumer group, start offsets, delivery guarantee,
 * and the client settings (security) that every Kafka client of the project is built with.
 */
public class KafkaConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where the sources start when the consumer group has no committed offset (COMMITTED) or always (EARLIEST, LATEST). */
    public enum StartOffsets { EARLIEST, LATEST, COMMITTED }

    public enum Delivery {
        AT_LEAST_ONCE("at-least-once"), EXACTLY_ONCE("exactly-once");

        private final String wire;

        Delivery(String wire) {
            this.wire = wire;
        }

        /** YAML spelling, e.g. {@code delivery: exactly-once}. */
        @Override
        public String toString() {
            return wire;
        }
    }

    public String bootstrapServers = "localhost:9092";
    public String groupId = "walkstream";
    public String interactionsTopic = "interactions";
    public String itemsTopic = "items";
    public String requestsTopic = "requests";
    public String recommendationsTopic = "recommendations";
    public String deadLettersTopic = "dead-letters";
    /** Control topic: new versions of channel strategies (YAML or JSON), applied without a restart. */
    public String strategiesTopic = "strategies";
    /** COMMITTED falls back to EARLIEST for a new group. */
    public StartOffsets startOffsets = StartOffsets.COMMITTED;
    public Delivery delivery = Delivery.AT_LEAST_ONCE;
    /** Prefix of the sink's transactional ids (exactly-once only); unique per job writing to one cluster. */
    public String transactionalIdPrefix = "walkstream";
    /** Kafka transaction timeout (exactly-once): must exceed the checkpoint interval plus recovery time. */
    public long transactionTimeoutMs = 600_000;
    /**
     * The broker outage the job rides out without failing: how long the sinks' producers wait for a
     * broker (max.block.ms: metadata, transaction begin and commit; delivery.timeout.ms: this plus
     * 30 s for a buffered record) and the sources' calls that need one (default.api.timeout.ms:
     * partition discovery, offset look-ups). While no broker answers, the tasks that write are
     * blocked and back-pressure stops the sources; when one answers again the job carries on where it
     * was. A longer outage fails the job, which then restarts from its last checkpoint — a path on
     * which the Kafka connector's transactional sink is fragile (docs/reliability.md, "Broker
     * outage"), hence a generous default. With exactly-once it must fit, with the checkpoint
     * interval, in {@link #transactionTimeoutMs}.
     */
    public long outageToleranceMs = 300_000;
    /** How often sources look for new partitions; 0 disables discovery. */
    public long partitionDiscoveryMs = 60_000;
    /** Partitions of each topic when the CLI creates them (demo, tests). */
    public int partitions = 2;
    /**
     * Kafka client settings given to every client (the job's sources and sinks, the gateway, the
     * CLI's producers, consumers and admin clients), e.g. {@code security.protocol: SASL_SSL}. Secrets
     * as config-provider references such as {@code ${env:KAFKA_PASSWORD}}; see docs/security.md.
     */
    @JsonSerialize(using = Secrets.MaskingSerializer.class)
    public Map<String, String> properties = new LinkedHashMap<>();

    void validate(List<String> problems, RuntimeConfig job) {
        required(problems, "kafka.bootstrapServers", bootstrapServers);
        required(problems, "kafka.groupId", groupId);
        required(problems, "kafka.interactionsTopic", interactionsTopic);
        required(problems, "kafka.itemsTopic", itemsTopic);
        required(problems, "kafka.requestsTopic", requestsTopic);
        required(problems, "kafka.recommendationsTopic", recommendationsTopic);
        required(problems, "kafka.deadLettersTopic", deadLettersTopic);
        required(problems, "kafka.strategiesTopic", strategiesTopic);
        if (startOffsets == null) problems.add("kafka.startOffsets must be EARLIEST, LATEST or COMMITTED");
        if (delivery == null) problems.add("kafka.delivery must be at-least-once or exactly-once");
        if (delivery == Delivery.EXACTLY_ONCE) {
            required(problems, "kafka.transactionalIdPrefix", transactionalIdPrefix);
            if (job != null && job.checkpointIntervalMs <= 0) {
                problems.add("kafka.delivery exactly-once commits on checkpoints: set job.checkpointIntervalMs > 0");
            }
            if (job != null && transactionTimeoutMs <= job.checkpointIntervalMs + outageToleranceMs) {
                // A transaction stays open from one checkpoint to the commit after the next; through an
                // outage that is longer by the outage. Past the timeout the broker aborts it: answers lost.
                problems.add("kafka.transactionTimeoutMs (" + transactionTimeoutMs + ") must exceed job.checkpointIntervalMs ("
                        + job.checkpointIntervalMs + ") + kafka.outageToleranceMs (" + outageToleranceMs + ")");
            }
        }
        if (outageToleranceMs < 1000) problems.add("kafka.outageToleranceMs must be >= 1000, got " + outageToleranceMs);
        if (partitionDiscoveryMs < 0) problems.add("kafka.partitionDiscoveryMs must be >= 0, got " + partitionDiscoveryMs);
        GraphConfig.positive(problems, "kafka.partitions", partitions);
        ClientProperties.validate(properties, delivery, problems);
    }

    /** The settings every client starts from: {@code bootstrap.servers} and {@link #properties}. */
    public Properties clientProperties() {
        return clientProperties(Map.of());
    }

    /**
     * A client's own settings (its acks, linger, isolation level, ...) with {@code bootstrap.servers}
     * and {@link #properties} on top. The one place clients get their connection settings, so none
     * can be built without the security settings.
     */
    public Properties clientProperties(Map<String, String> clientSettings) {
        return ClientProperties.merge(bootstrapServers, properties, clientSettings);
    }

    private static void required(List<String> problems, String name, String value) {
        if (value == null || value.isBlank()) problems.add(name + " must not be empty");
    }

    /** Every topic the job reads or writes (for creating them). */
    public String[] allTopics() {
        return new String[] {interactionsTopic, itemsTopic, requestsTopic, strategiesTopic, recommendationsTopic, deadLettersTopic};
    }

    /** For logs and messages: secrets in {@link #properties} are masked. */
    @Override
    public String toString() {
        return "kafka{bootstrapServers=" + bootstrapServers + ", groupId=" + groupId + ", topics=" + Arrays.toString(allTopics())
                + ", startOffsets=" + startOffsets + ", delivery=" + delivery + ", properties=" + Secrets.masked(properties) + "}";
    }
}
