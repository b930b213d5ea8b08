package io.walkstream.io;

import static io.walkstream.io.SmallShop.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kafka.delivery=exactly-once: answers are written in Kafka transactions committed on checkpoints. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExactlyOnceTest {
    @RegisterExtension
    static final KafkaTestBed bed = new KafkaTestBed();

    @Test
    void committedAnswersAreReadableWithReadCommittedExactlyOncePerRequest() throws Exception {
        JobConfig cfg = bed.config(Map.of("walk.alignment", "WATERMARK", "kafka.delivery", "exactly-once",
                "job.checkpointIntervalMs", "500"));
        SmallShop.sendGraph(bed, cfg);
        SmallShop.sendRequests(bed, cfg);
        bed.send(cfg.kafka.requestsTopic, "bad", "{oops".getBytes());

        JobClient job = KafkaTestBed.startJob(cfg);
        // Event time moves past the requests only once the graph is in: see SmallShop.
        bed.awaitConsumed(cfg, Duration.ofSeconds(60), cfg.kafka.interactionsTopic, cfg.kafka.itemsTopic);
        SmallShop.sendTicks(bed, cfg);
        List<ConsumerRecord<byte[], byte[]>> answers;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try {
            answers = bed.readUntil(cfg.kafka.recommendationsTopic, true, Duration.ofSeconds(90), r -> r.size() >= 2);
            dead = bed.readUntil(cfg.kafka.deadLettersTopic, true, Duration.ofSeconds(30), r -> r.size() >= 1);
            // A few more checkpoints: a duplicate would show up now if answers were written twice.
            Thread.sleep(2_000);
            answers = bed.readUntil(cfg.kafka.recommendationsTopic, true, Duration.ofSeconds(3), r -> false);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(answers).extracting(r -> utf8(r.key()))
                .containsExactlyInAnyOrder(SmallShop.USER_REQUEST, SmallShop.ITEM_REQUEST);
        for (ConsumerRecord<byte[], byte[]> rec : answers) {
            Recommendation r = JsonCodec.readRecommendation(rec.value());
            assertThat(KafkaEndToEndTest.items(r)).containsExactly(r.requestId.equals(SmallShop.USER_REQUEST) ? "i:b" : "i:d");
        }
        assertThat(dead).hasSize(1);
    }
}
