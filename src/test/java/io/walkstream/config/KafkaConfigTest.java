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

    @Test
    void theOutageToleranceMustFitInTheTransactionTimeout() throws Exception {
        assertThat(ConfigLoader.parse("", Map.of()).kafka.outageToleranceMs).isEqualTo(300_000);
        assertThatThrownBy(() -> ConfigLoader.parse("", Map.of("kafka.outageToleranceMs", "999")))
                .hasMessageContaining("kafka.outageToleranceMs must be >= 1000");
        // exactly-once: a transaction lives a checkpoint interval plus the outage
        assertThatThrownBy(() -> ConfigLoader.parse("", Map.of("kafka.delivery", "exactly-once",
                "job.checkpointIntervalMs", "10000", "kafka.outageToleranceMs", "600000", "kafka.transactionTimeoutMs", "600000")))
                .hasMessageContaining("must exceed job.checkpointIntervalMs (10000) + kafka.outageToleranceMs (600000)");
        assertThat(ConfigLoader.parse("", Map.of("kafka.delivery", "exactly-once", "job.checkpointIntervalMs", "10000",
                "kafka.outageToleranceMs", "300000", "kafka.transactionTimeoutMs", "900000")).kafka.outageToleranceMs).isEqualTo(300_000);
    }
}
