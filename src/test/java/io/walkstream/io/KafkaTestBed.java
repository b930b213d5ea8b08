package io.walkstream.io;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker, topics with a per-test prefix, and the Kafka job on a local MiniCluster
 * (parallelism 2), plus producer and consumer helpers. Each test uses fresh topics, so tests
 * sharing a broker cannot see each other's records. A JUnit extension: register it as a static
 * field and the broker runs for the test class; or {@link #start()} and close it in the test.
 */
final class KafkaTestBed implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    static final int PARTITIONS = 2;

    private final Map<String, String> brokerSettings;

    /**
     * What the bed's own clients need to connect (credentials, trust); the job gets its own through
     * kafka.properties.
     */
    private final Map<String, String> clientProperties;

    EmbeddedKafka kafka;
    KafkaProducer<byte[], byte[]> producer;

    /** A plaintext broker. */
    KafkaTestBed() {
        this(Map.of(), Map.of());
    }

    /**
     * A broker with extra settings (e.g. a SASL listener), and the client properties needed to
     * connect to it.
     */
    KafkaTestBed(Map<String, String> brokerSettings, Map<String, String> clientProperties) {
        this.brokerSettings = brokerSettings;
        this.clientProperties = clientProperties;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    KafkaTestBed start() throws Exception {
        kafka = EmbeddedKafka.start(brokerSettings, clientProperties);
        Properties p = clientProperties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 << 20));
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        return this;
    }

    /** bootstrap.servers and the bed's client properties. */
    Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return p;
    }

    /**
     * A configuration for a test: its own topics (created here), group, and the given overrides.
     */
    JobConfig config(Map<String, String> overrides) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("job.checkpointIntervalMs", "1000");
        all.putAll(overrides);
        all = TestTopics.settings(kafka.bootstrapServers(), all);
        JobConfig cfg = ConfigLoader.parse("", all);
        var k = cfg.kafka;
        kafka.createTopics(PARTITIONS, k.allTopics());
        return cfg;
    }

    /** Starts the Kafka job; the caller cancels it. */
    static JobClient startJob(JobConfig cfg) throws Exception {
        return startJob(cfg, new Configuration());
    }

    /**
     * Starts the Kafka job with extra Flink settings (for example a restart strategy); the caller
     * cancels it.
     */
    static JobClient startJob(JobConfig cfg, Configuration extra) throws Exception {
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setBufferTimeout(5);
        KafkaJob.attach(cfg, env);
        return env.executeAsync(cfg.job.name);
    }

    /**
     * Waits until the job's consumer group has committed offsets at the end of {@code topics}. The
     * Kafka source commits on completed checkpoints, so by then every record before those offsets
     * has passed every operator of the job.
     */
    void awaitConsumed(JobConfig cfg, Duration timeout, String... topics) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String t : topics) {
                for (int p = 0; p < PARTITIONS; p++) {
                    latest.put(new TopicPartition(t, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(cfg.kafka.groupId)
                                .partitionsToOffsetAndMetadata()
                                .get();
                if (ends.entrySet().stream()
                        .allMatch(
                                e ->
                                        e.getValue() == 0
                                                || (committed.get(e.getKey()) != null
                                                        && committed.get(e.getKey()).offset()
                                                                >= e.getValue()))) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the job did not consume " + ends + " within " + timeout);
        }
    }

    RecordMetadata send(String topic, String key, byte[] value) throws Exception {
        return send(topic, null, key, value);
    }

    RecordMetadata send(String topic, Integer partition, String key, byte[] value)
            throws Exception {
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return producer.send(new ProducerRecord<>(topic, partition, k, value)).get();
    }

    /**
     * Reads {@code topic} from the beginning until {@code done} holds for what was read, or the
     * timeout passes.
     */
    List<ConsumerRecord<byte[], byte[]>> readUntil(
            String topic,
            boolean readCommitted,
            Duration timeout,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Properties p = clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Every record of {@code topic} from the beginning up to its end as of this call — for
     * read_committed the last stable offset, so an open transaction would make this wait (or fail
     * after the timeout). With read_uncommitted, records of aborted transactions are included.
     */
    List<ConsumerRecord<byte[], byte[]>> readAll(
            String topic, boolean readCommitted, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                parts.add(new TopicPartition(topic, i));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!parts.stream().allMatch(tp -> c.position(tp) >= ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "could not read " + topic + " to " + ends + " within " + timeout);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
