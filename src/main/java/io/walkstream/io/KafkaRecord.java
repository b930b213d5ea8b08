package io.walkstream.io;

import io.walkstream.model.Event;

/**
 * One Kafka record as read, before parsing: the raw value and where it came from. A flat POJO so
 * Flink serialises it with its POJO serializer (no Kryo) on the way to the parser.
 */
public class KafkaRecord {
    public String topic;
    public int partition;
    public long offset;

    /** The record's Kafka timestamp (create or log-append time), -1 when it has none. */
    public long timestamp;

    /** The value bytes; null for a tombstone. */
    public byte[] value;

    /** Event topics are parsed in the source: the event, or why the record was rejected. */
    public Event event;

    public String error;

    public KafkaRecord() {}

    public KafkaRecord(String topic, int partition, long offset, long timestamp, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.value = value;
    }
}
