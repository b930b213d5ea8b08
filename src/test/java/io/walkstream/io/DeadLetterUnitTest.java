package io.walkstream.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterUnitTest {
    @Test
    void keepsBytesExactlyAndTruncatesHugeOnes() throws Exception {
        byte[] binary = {(byte) 0xff, 0, (byte) 0xc3, 0x28};
        DeadLetter d =
                DeadLetter.of(new KafkaRecord("interactions", 1, 42, 1000, binary), "why", 5);
        DeadLetter back = JsonCodec.mapper().readValue(JsonCodec.write(d), DeadLetter.class);
        assertThat(back.payload()).isEqualTo(binary);
        assertThat(back.sourceTopic).isEqualTo("interactions");
        assertThat(back.offset).isEqualTo(42);

        DeadLetter big = DeadLetter.of(new KafkaRecord("t", 0, 0, 0, new byte[200_000]), "big", 5);
        assertThat(big.truncated).isTrue();
        assertThat(big.payloadBytes).isEqualTo(200_000);
        assertThat(JsonCodec.mapper().readValue(JsonCodec.write(big), DeadLetter.class).payload())
                .hasSize(DeadLetter.MAX_PAYLOAD_BYTES);
    }

    @Test
    void latencyHistogramReportsQuantiles() {
        HdrHistogramMetric h = new HdrHistogramMetric();
        for (int i = 1; i <= 100; i++) {
            h.update(i);
        }
        assertThat(h.getCount()).isEqualTo(100);
        assertThat(h.getStatistics().getQuantile(0.5)).isBetween(49.0, 51.0);
        assertThat(h.getStatistics().getQuantile(0.99)).isBetween(98.0, 100.0);
        assertThat(h.getStatistics().getMax()).isEqualTo(100);
    }

    @Test
    void requestLatencyStartsAtTheKafkaTimestampButNeverInTheFuture() {
        assertThat(ParseRequests.ingestedAt(900, 1000)).isEqualTo(900);
        assertThat(ParseRequests.ingestedAt(1500, 1000)).isEqualTo(1000);
        assertThat(ParseRequests.ingestedAt(-1, 1000)).isEqualTo(1000);
    }
}
