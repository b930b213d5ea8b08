package io.walkstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {
    @Test
    void defaultsAreAtLeastOnceWithTheStandardTopics() throws Exception {
        KafkaConfig k = ConfigLoader.parse("", Map.of()).kafka;
        assertThat(k.delivery).isEqualTo(KafkaConfig.Delivery.AT_LEAST_ONCE);
        assertThat(k.interactionsTopic).isEqualTo("interactions");
        assertThat(k.deadLettersTopic).isEqualTo("dead-letters");
    }

    @Test
    void commandLineOverridesSwitchToExactlyOnce() throws Exception {
        JobConfig cfg = ConfigLoader.parse("kafka:\n  bootstrapServers: a:9092\n",
                Map.of("kafka.delivery", "exactly-once", "kafka.startOffsets", "latest", "walk.walkers", "300"));
        assertThat(cfg.kafka.delivery).isEqualTo(KafkaConfig.Delivery.EXACTLY_ONCE);
        assertThat(cfg.kafka.startOffsets).isEqualTo(KafkaConfig.StartOffsets.LATEST);
        assertThat(cfg.kafka.bootstrapServers).isEqualTo("a:9092");
        assertThat(cfg.walk.walkers).isEqualTo(300);
    }

    @Test
    void exactlyOnceWithoutCheckpointsIsRejectedWithEveryProblemListed() {
        assertThatThrownBy(() -> ConfigLoader.parse("", Map.of("kafka.delivery", "exactly-once",
                "job.checkpointIntervalMs", "0", "kafka.groupId", "", "kafka.bogus", "1")))
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> ConfigLoader.parse("", Map.of("kafka.delivery", "exactly-once",
                "job.checkpointIntervalMs", "0", "kafka.groupId", "")))
                .hasMessageContaining("set job.checkpointIntervalMs > 0")
                .hasMessageContaining("kafka.groupId must not be empty");
    }

    @Test
    void shippedJobConfigsLoad() throws Exception {
        for (String f : new String[] {"local.yaml", "cluster.yaml"}) {
            JobConfig cfg = ConfigLoader.load(Path.of("job-configs", f), Map.of());
            assertThat(cfg.kafka.bootstrapServers).isNotBlank();
        }
        assertThat(ConfigLoader.load(Path.of("job-configs/cluster.yaml"), Map.of()).kafka.delivery)
                .isEqualTo(KafkaConfig.Delivery.EXACTLY_ONCE);
    }
}
