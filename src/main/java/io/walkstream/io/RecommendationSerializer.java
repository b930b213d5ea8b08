package io.walkstream.io;

import io.walkstream.model.Recommendation;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes an answer as JSON, keyed by its request id (so a client's answers for one request land in
 * one partition and compacted topics keep the latest), with the id also in a {@code requestId}
 * header so a client can match answers without parsing every value.
 */
public class RecommendationSerializer implements KafkaRecordSerializationSchema<Recommendation> {
    private static final long serialVersionUID = 1L;
    public static final String REQUEST_ID_HEADER = "requestId";

    private final String topic;

    public RecommendationSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Recommendation r, KafkaSinkContext context, Long timestamp) {
        byte[] id = r.requestId.getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REQUEST_ID_HEADER, id);
        return new ProducerRecord<>(topic, null, null, id, JsonCodec.write(r), headers);
    }
}
