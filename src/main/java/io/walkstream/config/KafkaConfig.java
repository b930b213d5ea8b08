package io.walkstream.config;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the job reads and writes: broker, topics, consumer group, start offsets, delivery
 * guarantee, and the client settings (security) that every Kafka client of the project is built
 * with.
 */
public class KafkaConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Where the sources start when the consumer group has no committed offset (COMMITTED) or always
     * (EARLIEST, LATEST).
     */
    public enum StartOffsets {
        EARLIEST,
        LATEST,
        COMMITTED
    }

    public enum Delivery {
        AT_LEAST_ONCE("at-least-once"),
        EXACTLY_ONCE("exactly-once");

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

    @Setting("Kafka bootstrap servers.")
    public String bootstrapServers = "localhost:9092";

    @Setting(
            "Consumer group of the four sources (interactions, items, requests, strategies); offsets are committed "
                    + "on checkpoints.")
    public String groupId = "walkstream";

    @Setting("Input topic: interactions and follows.")
    public String interactionsTopic = "interactions";

    @Setting("Input topic: item metadata and supplied vectors.")
    public String itemsTopic = "items";

    @Setting("Input topic: recommendation requests.")
    public String requestsTopic = "requests";

    @Setting("Output topic: one answer per request.")
    public String recommendationsTopic = "recommendations";

    @Setting("Output topic: every record the job could not parse or validate, with the reason.")
    public String deadLettersTopic = "dead-letters";

    @Setting(
            "Control topic: new versions of channel strategies (YAML or JSON), applied without a restart; read from "
                    + "the beginning for a new group.")
    public String strategiesTopic = "strategies";

    @Setting(
            "`EARLIEST`, `LATEST`, or `COMMITTED` (the group's committed offsets; earliest for a new group).")
    public StartOffsets startOffsets = StartOffsets.COMMITTED;

    @Setting(
            "`at-least-once` (lowest latency; after a failure an answer can be written twice, so consumers dedupe on "
                    + "the request id) or `exactly-once` (both sinks write in Kafka transactions committed on each checkpoint; "
                    + "readers need `isolation.level=read_committed`; answers become visible after the next checkpoint, up to "
                    + "one `job.checkpointIntervalMs` later; rejected when `job.checkpointIntervalMs` is 0).")
    public Delivery delivery = Delivery.AT_LEAST_ONCE;

    @Setting(
            "Exactly-once only: prefix of the sink's transactional ids; unique per job on one Kafka cluster.")
    public String transactionalIdPrefix = "walkstream";

    @Setting(
            "Exactly-once only: Kafka transaction timeout. Must exceed `job.checkpointIntervalMs` + "
                    + "`outageToleranceMs` and be at most the broker's `transaction.max.timeout.ms`.")
    public long transactionTimeoutMs = 600_000;

    @Setting(
            "A broker outage this long is ridden out without failing: the sinks' producers wait this long for a "
                    + "broker (`max.block.ms`; `delivery.timeout.ms` is this + 30 s) and so do the sources' calls "
                    + "(`default.api.timeout.ms`); meanwhile back-pressure stops the sources, and the job carries on when a broker "
                    + "answers. A longer outage fails the job, which restarts from its last checkpoint, a path on which the "
                    + "connector's transactional sink is fragile, hence the generous default. At least 1000. See "
                    + "[reliability](reliability.md), \"Broker outage\".")
    public long outageToleranceMs = 300_000;

    @Setting("How often the sources look for new partitions; 0 turns discovery off.")
    public long partitionDiscoveryMs = 60_000;

    @Setting(
            "Partitions per topic when the CLI creates the topics (`demo`, `run --create-topics`, tests).")
    public int partitions = 2;

    @Setting(
            "Kafka client settings given to every client (the job's sources and sinks, the gateway, the command-line "
                    + "tools), e.g. `security.protocol: SASL_SSL`. Secrets as config-provider references (`${env:NAME}`, "
                    + "`${file:…}`), masked as `***` when printed; `--set kafka.properties.sasl.mechanism=PLAIN` sets one key. "
                    + "See [security](security.md).")
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
        if (startOffsets == null) {
            problems.add("kafka.startOffsets must be EARLIEST, LATEST or COMMITTED");
        }
        if (delivery == null) {
            problems.add("kafka.delivery must be at-least-once or exactly-once");
        }
        if (delivery == Delivery.EXACTLY_ONCE) {
            required(problems, "kafka.transactionalIdPrefix", transactionalIdPrefix);
            if (job != null && job.checkpointIntervalMs <= 0) {
                problems.add(
                        "kafka.delivery exactly-once commits on checkpoints: set job.checkpointIntervalMs > 0");
            }
            if (job != null
                    && transactionTimeoutMs <= job.checkpointIntervalMs + outageToleranceMs) {
                // A transaction stays open from one checkpoint to the commit after the next;
                // through an outage that is longer by the outage. Past the timeout the broker
                // aborts it: answers lost.
                problems.add(
                        "kafka.transactionTimeoutMs ("
                                + transactionTimeoutMs
                                + ") must exceed job.checkpointIntervalMs ("
                                + job.checkpointIntervalMs
                                + ") + kafka.outageToleranceMs ("
                                + outageToleranceMs
                                + ")");
            }
        }
        if (outageToleranceMs < 1000) {
            problems.add("kafka.outageToleranceMs must be >= 1000, got " + outageToleranceMs);
        }
        if (partitionDiscoveryMs < 0) {
            problems.add("kafka.partitionDiscoveryMs must be >= 0, got " + partitionDiscoveryMs);
        }
        GraphConfig.positive(problems, "kafka.partitions", partitions);
        ClientProperties.validate(properties, delivery, problems);
    }

    /** The settings every client starts from: {@code bootstrap.servers} and {@link #properties}. */
    public Properties clientProperties() {
        return clientProperties(Map.of());
    }

    /**
     * A client's own settings (its acks, linger, isolation level, ...) with {@code
     * bootstrap.servers} and {@link #properties} on top. The one place clients get their connection
     * settings, so none can be built without the security settings.
     */
    public Properties clientProperties(Map<String, String> clientSettings) {
        return ClientProperties.merge(bootstrapServers, properties, clientSettings);
    }

    private static void required(List<String> problems, String name, String value) {
        if (value == null || value.isBlank()) {
            problems.add(name + " must not be empty");
        }
    }

    /** Every topic the job reads or writes (for creating them). */
    public String[] allTopics() {
        return new String[] {
            interactionsTopic,
            itemsTopic,
            requestsTopic,
            strategiesTopic,
            recommendationsTopic,
            deadLettersTopic
        };
    }

    /** For logs and messages: secrets in {@link #properties} are masked. */
    @Override
    public String toString() {
        return "kafka{bootstrapServers="
                + bootstrapServers
                + ", groupId="
                + groupId
                + ", topics="
                + Arrays.toString(allTopics())
                + ", startOffsets="
                + startOffsets
                + ", delivery="
                + delivery
                + ", properties="
                + Secrets.masked(properties)
                + "}";
    }
}
