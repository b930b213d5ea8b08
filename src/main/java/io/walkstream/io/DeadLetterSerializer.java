package io.walkstream.io;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a dead letter as JSON, keyed by {@code topic-partition-offset} of the rejected record. */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter d, KafkaSinkContext context, Long timestamp) {
        byte[] key =
                (d.sourceTopic + "-" + d.partition + "-" + d.offset)
                        .getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, key, JsonCodec.write(d));
    }
}
