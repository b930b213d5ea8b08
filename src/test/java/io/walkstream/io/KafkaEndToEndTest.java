package io.walkstream.io;

import static io.walkstream.io.SmallShop.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** JSON events and requests into Kafka, the job on a MiniCluster, recommendations out of Kafka. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaEndToEndTest {
    @RegisterExtension static final KafkaTestBed bed = new KafkaTestBed();

    @Test
    void answersRequestsFromKafkaKeyedAndTaggedWithTheRequestId() throws Exception {
        JobConfig cfg = bed.config(Map.of("walk.alignment", "WATERMARK"));
        SmallShop.sendGraph(bed, cfg);
        SmallShop.sendRequests(bed, cfg);

        JobClient job = KafkaTestBed.startJob(cfg);
        // Event time moves past the requests only once the graph is in: see SmallShop.
        bed.awaitConsumed(
                cfg, Duration.ofSeconds(60), cfg.kafka.interactionsTopic, cfg.kafka.itemsTopic);
        SmallShop.sendTicks(bed, cfg);
        List<ConsumerRecord<byte[], byte[]>> out;
        try {
            out =
                    bed.readUntil(
                            cfg.kafka.recommendationsTopic,
                            false,
                            Duration.ofSeconds(90),
                            r -> r.size() >= 2);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(out).hasSize(2);
        Map<String, Recommendation> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : out) {
            Recommendation r = JsonCodec.readRecommendation(rec.value());
            assertThat(utf8(rec.key())).isEqualTo(r.requestId);
            assertThat(utf8(rec.headers().lastHeader("requestId").value())).isEqualTo(r.requestId);
            byId.put(r.requestId, r);
        }
        assertThat(items(byId.get(SmallShop.USER_REQUEST))).containsExactly("i:b");
        assertThat(items(byId.get(SmallShop.ITEM_REQUEST))).containsExactly("i:d");
        assertThat(byId.get(SmallShop.USER_REQUEST).user).isEqualTo("u:9");
        assertThat(byId.get(SmallShop.USER_REQUEST).items[0].reasons).isNotEmpty();
    }

    static List<String> items(Recommendation r) {
        return Arrays.stream(r.items).map((RecommendedItem i) -> i.item).toList();
    }
}
