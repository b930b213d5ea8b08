package io.walkstream.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.Base64;

/**
 * A record the job could not use, as written to the dead-letter topic: the original bytes (base64,
 * so binary and invalid UTF-8 survive exactly), where the record came from, and why it was
 * rejected.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetter {
    /**
     * Largest payload kept (48 KiB, 64 KiB in base64), so a dead letter always fits in a Kafka
     * record and within the string limit of {@link JsonCodec}'s reader.
     */
    public static final int MAX_PAYLOAD_BYTES = 48 * 1024;

    public String sourceTopic;
    public int partition;
    public long offset;

    /** Kafka timestamp of the source record, -1 when it had none. */
    public long recordTimestamp;

    public String reason;

    /** Wall-clock time the record was rejected (epoch ms). */
    public long rejectedAtMs;

    /** The original value, base64 (standard alphabet); absent for a null value (tombstone). */
    public String payloadBase64;

    /** Size of the original value in bytes. */
    public int payloadBytes;

    /** True when payloadBase64 holds only the first {@link #MAX_PAYLOAD_BYTES} bytes. */
    public boolean truncated;

    public DeadLetter() {}

    public static DeadLetter of(KafkaRecord r, String reason, long now) {
        DeadLetter d = new DeadLetter();
        d.sourceTopic = r.topic;
        d.partition = r.partition;
        d.offset = r.offset;
        d.recordTimestamp = r.timestamp;
        d.reason = reason;
        d.rejectedAtMs = now;
        if (r.value != null) {
            d.payloadBytes = r.value.length;
            d.truncated = r.value.length > MAX_PAYLOAD_BYTES;
            byte[] kept = d.truncated ? Arrays.copyOf(r.value, MAX_PAYLOAD_BYTES) : r.value;
            d.payloadBase64 = Base64.getEncoder().encodeToString(kept);
        }
        return d;
    }

    /** The original bytes (as kept); null for a tombstone. */
    public byte[] payload() {
        return payloadBase64 == null ? null : Base64.getDecoder().decode(payloadBase64);
    }
}
