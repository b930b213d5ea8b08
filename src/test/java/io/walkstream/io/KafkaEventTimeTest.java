package io.walkstream.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event time over Kafka is kept per partition, in the sources: a topic whose event time runs far
 * ahead (here the items topic, whose last record is stamped an hour later) cannot release requests
 * before the interactions that precede them in event time have been read. With a watermark computed
 * after the topics are merged, whichever topic the job happened to read first decided — and a
 * request could be answered from half a graph.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaEventTimeTest {
    @RegisterExtension static final KafkaTestBed bed = new KafkaTestBed();

    @RepeatedTest(2)
    void aTopicRunningAheadCannotReleaseRequestsBeforeTheOtherTopicsEvents() throws Exception {
        JobConfig cfg =
                bed.config(Map.of("walk.alignment", "WATERMARK", "walk.idleTimeoutMs", "3000"));
        for (int p = 0; p < KafkaTestBed.PARTITIONS; p++) {
            bed.send(
                    cfg.kafka.itemsTopic,
                    p,
                    "ahead",
                    WireJson.item(
                            Event.item(
                                    "i:ahead" + p,
                                    "ahead",
                                    null,
                                    null,
                                    null,
                                    SmallShop.T + 3_600_000)));
        }
        SmallShop.sendGraph(bed, cfg);
        SmallShop.sendRequests(bed, cfg);
        // No later interaction ever comes: the requests are released when the interactions
        // partitions have delivered everything and gone idle — never by the items topic alone.
        JobClient job = KafkaTestBed.startJob(cfg);
        try {
            List<ConsumerRecord<byte[], byte[]>> out =
                    bed.readUntil(
                            cfg.kafka.recommendationsTopic,
                            false,
                            Duration.ofSeconds(90),
                            r -> r.size() >= 2);
            Map<String, Recommendation> byId = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : out) {
                Recommendation rec = JsonCodec.readRecommendation(r.value());
                byId.put(new String(r.key(), StandardCharsets.UTF_8), rec);
            }
            assertThat(items(byId.get(SmallShop.USER_REQUEST))).containsExactly("i:b");
            assertThat(items(byId.get(SmallShop.ITEM_REQUEST))).containsExactly("i:d");
        } finally {
            job.cancel().get();
        }
    }

    static List<String> items(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toList();
    }
}
