package io.walkstream.io;

import static io.walkstream.io.SmallShop.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generated hostile corpus ({@link HostileCorpus}, over 1,000 bad records) through a real
 * broker, interleaved with a good graph sent twice (duplicates are valid input) and good requests.
 * The job runs with restart strategy "none": a single exception anywhere would fail it. Every bad
 * record lands in dead-letters with its origin and a reason, the good requests get their known
 * answers, and the job is still RUNNING at the end — zero restarts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostileInputTest {
    private static final Logger LOG = LoggerFactory.getLogger(HostileInputTest.class);

    @RegisterExtension static final KafkaTestBed bed = new KafkaTestBed();

    @Test
    void everyHostileRecordIsADeadLetterGoodRecordsAreProcessedAndTheJobNeverRestarts()
            throws Exception {
        JobConfig cfg = bed.config(Map.of("walk.alignment", "WATERMARK"));
        List<HostileCorpus.Bad> corpus = HostileCorpus.generate();
        Map<String, HostileCorpus.Bad> sentBad = new HashMap<>();
        List<Future<RecordMetadata>> pending = new ArrayList<>();
        SmallShop.sendGraph(bed, cfg);
        for (int i = 0; i < corpus.size(); i++) {
            HostileCorpus.Bad b = corpus.get(i);
            String topic =
                    switch (b.topic()) {
                        case 'i' -> cfg.kafka.interactionsTopic;
                        case 't' -> cfg.kafka.itemsTopic;
                        default -> cfg.kafka.requestsTopic;
                    };
            pending.add(
                    bed.producer.send(
                            new ProducerRecord<>(
                                    topic, i % KafkaTestBed.PARTITIONS, null, b.value())));
            if (i == corpus.size() / 2) {
                SmallShop.sendGraph(
                        bed,
                        cfg); // the same graph again: duplicates are separate, valid interactions
                SmallShop.sendRequests(bed, cfg);
            }
        }
        for (int i = 0; i < pending.size(); i++) {
            RecordMetadata m = pending.get(i).get();
            sentBad.put(m.topic() + "-" + m.partition() + "-" + m.offset(), corpus.get(i));
        }

        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobClient job = KafkaTestBed.startJob(cfg, noRestarts);
        List<ConsumerRecord<byte[], byte[]>> dead;
        List<ConsumerRecord<byte[], byte[]>> answers;
        JobStatus statusAtEnd;
        try {
            bed.awaitConsumed(
                    cfg,
                    Duration.ofSeconds(90),
                    cfg.kafka.interactionsTopic,
                    cfg.kafka.itemsTopic,
                    cfg.kafka.requestsTopic);
            SmallShop.sendTicks(bed, cfg);
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
            statusAtEnd = job.getJobStatus().get(10, TimeUnit.SECONDS);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(statusAtEnd)
                .as("job status with restart strategy 'none' after the corpus")
                .isEqualTo(JobStatus.RUNNING);
        Map<String, DeadLetter> byOrigin = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : dead) {
            DeadLetter d = JsonCodec.mapper().readValue(rec.value(), DeadLetter.class);
            String origin = d.sourceTopic + "-" + d.partition + "-" + d.offset;
            assertThat(byOrigin.put(origin, d))
                    .as("one dead letter per record: %s", origin)
                    .isNull();
            assertThat(utf8(rec.key())).isEqualTo(origin);
        }
        assertThat(byOrigin.keySet())
                .as("a dead letter for every bad record and nothing else")
                .containsExactlyInAnyOrderElementsOf(sentBad.keySet());
        sentBad.forEach(
                (origin, b) -> {
                    DeadLetter d = byOrigin.get(origin);
                    assertThat(d.reason)
                            .as("%s (%s)", origin, b.kind())
                            .isNotBlank()
                            .containsIgnoringCase(b.reasonContains());
                    if (b.value() == null) {
                        assertThat(d.payloadBase64).isNull();
                    } else {
                        assertThat(d.payloadBytes).isEqualTo(b.value().length);
                        assertThat(d.payload())
                                .isEqualTo(
                                        Arrays.copyOf(
                                                b.value(),
                                                Math.min(
                                                        b.value().length,
                                                        DeadLetter.MAX_PAYLOAD_BYTES)));
                    }
                });

        Map<String, List<String>> answerItems = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : answers) {
            Recommendation r = JsonCodec.readRecommendation(rec.value());
            answerItems.put(r.requestId, KafkaEndToEndTest.items(r));
        }
        assertThat(answerItems).containsOnlyKeys(SmallShop.USER_REQUEST, SmallShop.ITEM_REQUEST);
        assertThat(answerItems.get(SmallShop.USER_REQUEST)).containsExactly("i:b");
        assertThat(answerItems.get(SmallShop.ITEM_REQUEST)).containsExactly("i:d");
        LOG.info(
                "hostile input: {} bad records sent, {} dead letters, {} answers, job {} with restart strategy none",
                corpus.size(),
                byOrigin.size(),
                answers.size(),
                statusAtEnd);
    }
}
