package io.walkstream.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strategies are replaced at runtime through the strategies topic: a new version changes the
 * answers of the running job; a broken or older version is rejected to the dead-letter topic with
 * its reason while the version in force keeps answering; the job never restarts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StrategyHotReloadTest {
    @RegisterExtension static final KafkaTestBed bed = new KafkaTestBed();

    @TempDir Path strategies;

    @Test
    void aNewVersionChangesAnswersWithoutARestartAndABrokenOneIsRejected() throws Exception {
        Files.writeString(
                strategies.resolve("feed.yaml"),
                "name: feed\nversion: 1\nsources: [{type: walk}]\n");
        JobConfig cfg =
                bed.config(
                        Map.of(
                                "strategies.dir",
                                strategies.toString(),
                                "strategies.defaultStrategy",
                                "feed"));
        SmallShop.sendGraph(bed, cfg);
        JobClient job = KafkaTestBed.startJob(cfg);
        try {
            bed.awaitConsumed(
                    cfg, Duration.ofSeconds(60), cfg.kafka.interactionsTopic, cfg.kafka.itemsTopic);
            Recommendation v1 = ask(cfg, "hot-1");
            assertThat(v1.strategy).isEqualTo("feed");
            assertThat(v1.strategyVersion).isEqualTo(1);
            assertThat(items(v1))
                    .containsExactly("i:b"); // u:9 viewed i:a; its buyers also bought i:b

            publish(
                    cfg,
                    """
                    name: feed
                    version: 2
                    sources: [{type: walk}, {type: trending, categories: [y], perCategory: 2}]
                    filters: {excludeCategories: [x]}
                    """);
            Recommendation v2 = null;
            for (int i = 0; i < 60 && (v2 == null || v2.strategyVersion != 2); i++) {
                v2 = ask(cfg, "hot-2-" + i);
            }
            assertThat(v2.strategyVersion).isEqualTo(2);
            assertThat(items(v2)).containsExactlyInAnyOrder("i:c", "i:d");
            assertThat(v2.items).allMatch(it -> Arrays.asList(it.reasons).contains("popular in y"));

            publish(cfg, "name: feed\nversion: 3\nsources: []\n");
            publish(cfg, "name: feed\nversion: 1\nsources: [{type: walk}]\n");
            publish(cfg, "{not yaml: [");
            List<ConsumerRecord<byte[], byte[]>> dead =
                    bed.readUntil(
                            cfg.kafka.deadLettersTopic,
                            false,
                            Duration.ofSeconds(60),
                            r -> r.size() >= 3);
            List<String> reasons =
                    dead.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            assertThat(reasons).hasSize(3);
            assertThat(reasons)
                    .anyMatch(
                            r -> r.contains("invalid strategy feed: sources: at least one source"));
            assertThat(reasons)
                    .anyMatch(r -> r.contains("version 1 is older than the version in force (2)"));
            assertThat(reasons)
                    .anyMatch(
                            r ->
                                    r.contains("invalid strategy")
                                            && r.contains(
                                                    "\"sourceTopic\":\""
                                                            + cfg.kafka.strategiesTopic));

            Recommendation still = ask(cfg, "hot-3");
            assertThat(still.strategyVersion).isEqualTo(2);
            assertThat(items(still)).containsExactlyInAnyOrder("i:c", "i:d");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    void publish(JobConfig cfg, String doc) throws Exception {
        bed.send(cfg.kafka.strategiesTopic, "feed", doc.getBytes(StandardCharsets.UTF_8));
    }

    Recommendation ask(JobConfig cfg, String id) throws Exception {
        Request r = Request.forUser(id, "u:9", 5, SmallShop.T + 10_000);
        bed.send(cfg.kafka.requestsTopic, id, WireJson.request(r));
        List<ConsumerRecord<byte[], byte[]>> got =
                bed.readUntil(
                        cfg.kafka.recommendationsTopic,
                        false,
                        Duration.ofSeconds(30),
                        recs -> recs.stream().anyMatch(x -> id.equals(key(x))));
        for (ConsumerRecord<byte[], byte[]> x : got) {
            if (id.equals(key(x))) {
                return JsonCodec.readRecommendation(x.value());
            }
        }
        throw new AssertionError("no answer for " + id);
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    static String[] items(Recommendation r) {
        return Arrays.stream(r.items).map(it -> it.item).toArray(String[]::new);
    }
}
