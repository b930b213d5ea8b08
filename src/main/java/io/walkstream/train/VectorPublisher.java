package io.walkstream.train;

import io.walkstream.config.KafkaConfig;
import io.walkstream.io.VectorsFile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends trained vectors to the {@code items} topic, one vector-only record per item keyed by the
 * item id (so each item's updates stay in order on one partition). The running job applies each
 * record as it arrives: the supplied vector replaces the previous one, no restart.
 */
public final class VectorPublisher {
    private VectorPublisher() {}

    /**
     * Publishes every vector to the items topic of {@code kafka} and waits until the broker has
     * acknowledged all of them; returns the count.
     */
    public static int publish(KafkaConfig kafka, String model, Map<String, float[]> vectors) {
        String topic = kafka.itemsTopic;
        Properties p =
                kafka.clientProperties(
                        Map.of(
                                ProducerConfig.ACKS_CONFIG, "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                                ProducerConfig.LINGER_MS_CONFIG, "10",
                                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                                ProducerConfig.CLIENT_ID_CONFIG, "walkstream-train-publisher"));
        int n = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value =
                        VectorsFile.record(e.getKey(), e.getValue(), model)
                                .getBytes(StandardCharsets.UTF_8);
                producer.send(
                        new ProducerRecord<>(topic, key, value),
                        (meta, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
                n++;
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("publishing to " + topic + " failed", failure.get());
        }
        return n;
    }
}
