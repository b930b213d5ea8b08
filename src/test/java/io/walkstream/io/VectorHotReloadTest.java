package io.walkstream.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.cli.TrainCommand;
import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.train.VectorPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Trained vectors reach a running job through a real broker: publishing changes its answers without
 * a restart (restart strategy "none": any failure would fail the job), the answers name the model
 * version, a later model replaces the earlier one, and malformed vector records (wrong dimension,
 * NaN, infinity) go to dead letters while the vectors in force keep serving.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VectorHotReloadTest {
    @RegisterExtension static final KafkaTestBed bed = new KafkaTestBed();

    @TempDir Path dir;

    @Test
    void publishedVectorsChangeAnswersWithoutARestartAndMalformedOnesAreDeadLettered()
            throws Exception {
        // Scores are cosine alone, and supplied vectors must have 4 components.
        JobConfig cfg =
                bed.config(
                        Map.of(
                                "rank.similarityBlend",
                                "1.0",
                                "rank.transitionBlend",
                                "0",
                                "embedding.suppliedDim",
                                "4"));
        SmallShop.sendGraph(bed, cfg);
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobClient job = KafkaTestBed.startJob(cfg, noRestarts);
        try {
            bed.awaitConsumed(
                    cfg, Duration.ofSeconds(60), cfg.kafka.interactionsTopic, cfg.kafka.itemsTopic);
            // Built-in vectors: i:b shares u:9's item's buyers and category, i:c and i:d share
            // nothing with it.
            Recommendation builtIn = ask(cfg, "vec-0");
            assertThat(items(builtIn)[0]).isEqualTo("i:b");
            assertThat(builtIn.embeddingModels).isNull();

            // Model v1 says i:d is i:a's twin and i:b is unrelated.
            Map<String, float[]> v1 = new LinkedHashMap<>();
            v1.put("i:a", new float[] {1, 0, 0, 0});
            v1.put("i:b", new float[] {0, 1, 0, 0});
            v1.put("i:c", new float[] {-1, 0, 0, 0});
            v1.put("i:d", new float[] {0.9f, 0.1f, 0, 0});
            assertThat(VectorPublisher.publish(cfg.kafka, "test-v1", v1)).isEqualTo(4);
            Recommendation withV1 =
                    askUntil(
                            cfg,
                            "vec-1-",
                            r ->
                                    Arrays.equals(r.embeddingModels, new String[] {"test-v1"})
                                            && "i:d".equals(items(r)[0]));
            assertThat(items(withV1)).containsExactly("i:d", "i:b", "i:c");
            assertThat(withV1.items[0].similarity).isGreaterThan(0.98);

            // Malformed vector records: each rejected with its reason; i:d keeps its v1 vector.
            String items = cfg.kafka.itemsTopic;
            bed.send(
                    items,
                    "i:d",
                    "{\"item\":\"i:d\",\"embedding\":[0,1,0],\"model\":\"bad\"}"
                            .getBytes(StandardCharsets.UTF_8));
            bed.send(
                    items,
                    "i:d",
                    "{\"item\":\"i:d\",\"embedding\":[NaN,1,0,0],\"model\":\"bad\"}"
                            .getBytes(StandardCharsets.UTF_8));
            bed.send(
                    items,
                    "i:d",
                    "{\"item\":\"i:d\",\"embedding\":[1e999,1,0,0],\"model\":\"bad\"}"
                            .getBytes(StandardCharsets.UTF_8));
            bed.send(
                    items,
                    "i:d",
                    "{\"item\":\"i:d\",\"embedding\":[0,0,0,0],\"model\":\"bad\"}"
                            .getBytes(StandardCharsets.UTF_8));
            List<String> reasons =
                    bed
                            .readUntil(
                                    cfg.kafka.deadLettersTopic,
                                    false,
                                    Duration.ofSeconds(60),
                                    r -> r.size() >= 4)
                            .stream()
                            .map(r -> JsonCodecReason.of(r.value()))
                            .toList();
            assertThat(reasons).hasSize(4);
            assertThat(reasons)
                    .anyMatch(
                            r ->
                                    r.contains(
                                            "wrong dimension, expected 4 components (embedding.suppliedDim), got 3"));
            assertThat(reasons).anyMatch(r -> r.startsWith("invalid JSON") && r.contains("NaN"));
            assertThat(reasons).anyMatch(r -> r.contains("embedding[0]: not a finite number"));
            assertThat(reasons).anyMatch(r -> r.contains("all components are zero"));
            Recommendation afterBad = ask(cfg, "vec-bad");
            assertThat(items(afterBad)).containsExactly("i:d", "i:b", "i:c");
            assertThat(afterBad.embeddingModels).containsExactly("test-v1");

            // Model v2 from the trainer's command line, published by it: the job swaps it in as
            // well.
            Path log = dir.resolve("log.csv");
            StringBuilder csv = new StringBuilder("user,item,action,ts_ms\n");
            for (int u = 1; u <= 6; u++) {
                for (String i :
                        u <= 3 ? List.of("i:a", "i:b", "i:c") : List.of("i:c", "i:d", "i:a")) {
                    csv.append("u:")
                            .append(u)
                            .append(',')
                            .append(i)
                            .append(",purchase,")
                            .append(SmallShop.T + u * 10L + i.charAt(2))
                            .append('\n');
                }
            }
            Files.writeString(log, csv);
            Path out = dir.resolve("v2.jsonl");
            int code =
                    new CommandLine(new TrainCommand())
                            .setCaseInsensitiveEnumValuesAllowed(true)
                            .execute(
                                    "--dataset",
                                    log.toString(),
                                    "--format",
                                    "csv",
                                    "--split",
                                    "none",
                                    "--out",
                                    out.toString(),
                                    "--dim",
                                    "4",
                                    "--epochs",
                                    "2",
                                    "--validation-users",
                                    "0",
                                    "--fanouts",
                                    "3,2",
                                    "--threads",
                                    "1",
                                    "--publish",
                                    "--bootstrap-servers",
                                    bed.kafka.bootstrapServers(),
                                    "--items-topic",
                                    items);
            assertThat(code).isZero();
            assertThat(Files.exists(dir.resolve("v2.jsonl.png"))).isTrue();
            String v2 = VectorsFile.read(out).model();
            assertThat(v2).startsWith("lightgcn-");
            Recommendation withV2 =
                    askUntil(
                            cfg,
                            "vec-2-",
                            r -> Arrays.equals(r.embeddingModels, new String[] {v2}));
            assertThat(withV2.embeddingModels).containsExactly(v2);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** The reason of a dead letter. */
    static final class JsonCodecReason {
        static String of(byte[] deadLetter) {
            try {
                return JsonCodec.mapper().readValue(deadLetter, DeadLetter.class).reason;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A candidate-scoring request for u:9 (who viewed i:a): every candidate scored by cosine to
     * i:a's vector.
     */
    Recommendation ask(JobConfig cfg, String id) throws Exception {
        Request r = Request.forUser(id, "u:9", 3, SmallShop.T + 10_000);
        r.candidates = new String[] {"i:b", "i:c", "i:d"};
        bed.send(cfg.kafka.requestsTopic, id, WireJson.request(r));
        List<ConsumerRecord<byte[], byte[]>> got =
                bed.readUntil(
                        cfg.kafka.recommendationsTopic,
                        false,
                        Duration.ofSeconds(30),
                        recs ->
                                recs.stream()
                                        .anyMatch(x -> id.equals(StrategyHotReloadTest.key(x))));
        for (ConsumerRecord<byte[], byte[]> x : got) {
            if (id.equals(StrategyHotReloadTest.key(x))) {
                return JsonCodec.readRecommendation(x.value());
            }
        }
        throw new AssertionError("no answer for " + id);
    }

    /**
     * Asks until an answer satisfies {@code done} (the vectors arrive asynchronously), at most 60
     * times.
     */
    Recommendation askUntil(JobConfig cfg, String prefix, Predicate<Recommendation> done)
            throws Exception {
        Recommendation r = null;
        for (int i = 0; i < 60; i++) {
            r = ask(cfg, prefix + i);
            if (done.test(r)) {
                return r;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "the published vectors never showed in the answers; last: "
                        + JsonCodec.writeString(r));
    }

    static String[] items(Recommendation r) {
        return Arrays.stream(r.items).map(it -> it.item).toArray(String[]::new);
    }
}
