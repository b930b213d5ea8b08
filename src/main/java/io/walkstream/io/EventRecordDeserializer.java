package io.walkstream.io;

import io.walkstream.model.Event;
import io.walkstream.model.Validation;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads an event topic and parses each record right in the source, so the record's event time is
 * known there and the source can keep a watermark per Kafka partition: a topic or partition that
 * runs ahead cannot move event time past records another one has not delivered yet. Never throws: a
 * record that does not parse keeps its bytes and the reason, and goes to the dead letters later.
 */
public class EventRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {
    private static final long serialVersionUID = 1L;

    private final ParseEvents.Topic topic;
    private final int exactDim;
    private final int maxDim;

    public EventRecordDeserializer(ParseEvents.Topic topic) {
        this(topic, 0, Validation.MAX_VECTOR);
    }

    /**
     * {@code exactDim}, {@code maxDim}: the rule on supplied vectors (embedding.suppliedDim /
     * maxSuppliedDim).
     */
    public EventRecordDeserializer(ParseEvents.Topic topic, int exactDim, int maxDim) {
        this.topic = topic;
        this.exactDim = exactDim;
        this.maxDim = maxDim;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
        KafkaRecord r =
                new KafkaRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.value());
        Parsed<Event> p =
                ParseEvents.parse(topic, r.value, System.currentTimeMillis(), exactDim, maxDim);
        r.event = p.value();
        r.error = p.error();
        out.collect(r);
    }

    /**
     * The event time of a record: its event's timestamp; a rejected record does not move event
     * time.
     */
    public static long eventTime(KafkaRecord r) {
        return r.event != null ? r.event.ts : Long.MIN_VALUE;
    }

    @Override
    public TypeInformation<KafkaRecord> getProducedType() {
        return TypeInformation.of(KafkaRecord.class);
    }
}
