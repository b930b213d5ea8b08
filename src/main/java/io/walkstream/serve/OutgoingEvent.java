package io.walkstream.serve;

/** A validated event ready for Kafka: its topic, key (user or item) and canonical JSON. */
record OutgoingEvent(String topic, String key, byte[] value) {}
