package io.walkstream.io;

import static io.walkstream.io.SmallShop.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A corpus of bad records interleaved with a good graph and good requests: every bad record must
 * come out on the dead-letter topic with its origin, its bytes and a reason, and the good requests
 * must still be answered correctly.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeadLetterTest {
    @RegisterExtension static final KafkaTestBed bed = new KafkaTestBed();

    /**
     * One bad record: the topic it goes to (i interactions, t items, r requests), bytes, and a word
     * its reason must contain.
     */
    record Bad(char topic, byte[] value, String reasonContains) {
        static Bad of(char topic, String json, String reasonContains) {
            return new Bad(
                    topic,
                    json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                    reasonContains);
        }
    }

    static List<Bad> corpus() {
        long ts = SmallShop.T;
        byte[] badUtf8 =
                "{\"user\":\"u:X\",\"item\":\"i:1\",\"action\":\"view\"}"
                        .getBytes(StandardCharsets.UTF_8);
        badUtf8[11] = (byte) 0xC3; // "X" becomes a lone lead byte: not UTF-8
        String huge =
                "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"pad\":\""
                        + "x".repeat(100_000)
                        + "\"}";
        return List.of(
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\"",
                        "invalid JSON"),
                Bad.of('i', "{\"user\":42,\"item\":\"i:1\",\"action\":\"view\"}", "user"),
                Bad.of('i', "{\"item\":\"i:1\",\"action\":\"view\"}", "user: missing"),
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"teleport\"}",
                        "unknown action"),
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"ts\":99999999999999999}",
                        "ts"),
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"ts\":-5}",
                        "ts"),
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"ts\":\"yesterday\"}",
                        "ts"),
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"colour\":\"red\"}",
                        "colour"),
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"user\":\"u:2\",\"item\":\"i:1\",\"action\":\"view\"}",
                        "user"),
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\"} trailing",
                        "invalid JSON"),
                Bad.of('i', "[1,2,3]", "invalid JSON"),
                Bad.of('i', "null", "not a JSON object"),
                Bad.of('i', "", "empty"),
                Bad.of('i', null, "empty"),
                new Bad('i', badUtf8, "UTF"),
                Bad.of('i', huge, "exceeds"),
                Bad.of(
                        'i',
                        "{\"user\":\"u:1\",\"action\":\"follow\",\"followee\":\"u:1\"}",
                        "follow themselves"),
                Bad.of('t', "{\"item\":\"\",\"category\":\"x\"}", "item"),
                Bad.of('t', "{\"item\":\"i:z\",\"embedding\":[0,0,0]}", "zero"),
                Bad.of('t', "{\"item\":\"i:z\",\"embedding\":[\"a\"]}", "float"),
                Bad.of('r', "{\"requestId\":\"bad-1\",\"k\":10,\"ts\":" + ts + "}", "user or item"),
                Bad.of('r', "{\"requestId\":\"bad-2\",\"user\":\"u:9\",\"k\":100000}", "k"),
                Bad.of('r', "{\"user\":\"u:9\",\"k\":5}", "requestId: missing"),
                Bad.of('r', "{\"requestId\":7,\"user\":\"u:9\"}", "requestId"));
    }

    @Test
    void everyBadRecordBecomesADeadLetterAndGoodRecordsKeepFlowing() throws Exception {
        JobConfig cfg = bed.config(Map.of("walk.alignment", "WATERMARK"));
        List<Bad> corpus = corpus();
        Map<String, Bad> sentBad = new HashMap<>(); // topic-partition-offset → record
        SmallShop.sendGraph(bed, cfg);
        for (int i = 0; i < corpus.size(); i++) {
            Bad b = corpus.get(i);
            String topic =
                    switch (b.topic()) {
                        case 'i' -> cfg.kafka.interactionsTopic;
                        case 't' -> cfg.kafka.itemsTopic;
                        default -> cfg.kafka.requestsTopic;
                    };
            RecordMetadata m = bed.send(topic, i % KafkaTestBed.PARTITIONS, null, b.value());
            sentBad.put(m.topic() + "-" + m.partition() + "-" + m.offset(), b);
            if (i == corpus.size() / 2) {
                SmallShop.sendRequests(bed, cfg); // good requests in the middle
            }
        }

        JobClient job = KafkaTestBed.startJob(cfg);
        // Event time moves past the requests only once the graph is in: see SmallShop.
        bed.awaitConsumed(
                cfg, Duration.ofSeconds(60), cfg.kafka.interactionsTopic, cfg.kafka.itemsTopic);
        SmallShop.sendTicks(bed, cfg);
        List<ConsumerRecord<byte[], byte[]>> dead;
        List<ConsumerRecord<byte[], byte[]>> answers;
        try {
            dead =
                    bed.readUntil(
                            cfg.kafka.deadLettersTopic,
                            false,
                            Duration.ofSeconds(90),
                            r -> r.size() >= corpus.size());
            answers =
                    bed.readUntil(
                            cfg.kafka.recommendationsTopic,
                            false,
                            Duration.ofSeconds(60),
                            r -> r.size() >= 2);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        List<String> seen = new ArrayList<>();
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> rec : dead) {
            letters.add(JsonCodec.mapper().readValue(rec.value(), DeadLetter.class));
        }
        List<String> origins =
                letters.stream()
                        .map(d -> d.sourceTopic + "-" + d.partition + "-" + d.offset)
                        .toList();
        assertThat(origins)
                .as(
                        "dead letters for every bad record; missing: %s",
                        sentBad.entrySet().stream()
                                .filter(e -> !origins.contains(e.getKey()))
                                .map(e -> e.getValue().reasonContains())
                                .toList())
                .containsExactlyInAnyOrderElementsOf(sentBad.keySet());
        for (int n = 0; n < dead.size(); n++) {
            ConsumerRecord<byte[], byte[]> rec = dead.get(n);
            DeadLetter d = letters.get(n);
            String origin = origins.get(n);
            assertThat(utf8(rec.key())).isEqualTo(origin);
            Bad b = sentBad.get(origin);
            assertThat(b).as("dead letter %s matches a bad record sent", origin).isNotNull();
            assertThat(d.reason)
                    .as("reason for %s", origin)
                    .containsIgnoringCase(b.reasonContains());
            assertThat(d.recordTimestamp).isPositive();
            assertThat(d.rejectedAtMs).isPositive();
            if (b.value() == null) {
                assertThat(d.payloadBase64).isNull();
            } else if (b.value().length > DeadLetter.MAX_PAYLOAD_BYTES) {
                assertThat(d.truncated).isTrue();
                assertThat(d.payloadBytes).isEqualTo(b.value().length);
                assertThat(d.payload())
                        .isEqualTo(Arrays.copyOf(b.value(), DeadLetter.MAX_PAYLOAD_BYTES));
            } else {
                assertThat(d.truncated).isFalse();
                assertThat(d.payload()).isEqualTo(b.value());
            }
            seen.add(origin);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(sentBad.keySet());

        Map<String, List<String>> answerItems = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : answers) {
            Recommendation r = JsonCodec.readRecommendation(rec.value());
            answerItems.put(r.requestId, KafkaEndToEndTest.items(r));
        }
        assertThat(answerItems).containsOnlyKeys(SmallShop.USER_REQUEST, SmallShop.ITEM_REQUEST);
        assertThat(answerItems.get(SmallShop.USER_REQUEST)).containsExactly("i:b");
        assertThat(answerItems.get(SmallShop.ITEM_REQUEST)).containsExactly("i:d");
    }
}
