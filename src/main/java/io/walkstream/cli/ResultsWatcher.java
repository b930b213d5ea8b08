package io.walkstream.cli;

import io.walkstream.config.KafkaConfig;
import io.walkstream.io.JsonCodec;
import io.walkstream.model.Recommendation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the recommendations and dead-letters topics from the beginning on its own thread: counts
 * answers, partial answers and dead letters, and records each answer's round trip (request sent →
 * answer read) in an HdrHistogram.
 */
final class ResultsWatcher implements AutoCloseable {
    final AtomicLong answered = new AtomicLong();
    final AtomicLong partial = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    final AtomicReference<Recommendation> sample = new AtomicReference<>();

    private final KafkaConfig topics;
    private final Map<String, Long> sentAt;
    private final Map<String, Long> warmupSentAt;
    private final WarmUp warmUp;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Histogram roundTripMs = new Histogram(3_600_000L, 3);
    private final Thread thread;

    ResultsWatcher(KafkaConfig kafka, Feeder feeder) {
        this.topics = kafka;
        this.sentAt = feeder.sentAt;
        this.warmupSentAt = feeder.warmupSentAt;
        this.warmUp = feeder.warmUp;
        Properties p =
                kafka.clientProperties(
                        Map.of(
                                ConsumerConfig.GROUP_ID_CONFIG, "walkstream-demo-watcher",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::loop, "walkstream-watcher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topics.recommendationsTopic, topics.deadLettersTopic));
            while (true) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    if (rec.topic().equals(topics.deadLettersTopic)) {
                        deadLetters.incrementAndGet();
                    } else {
                        onAnswer(rec.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void onAnswer(byte[] value) {
        long now = System.nanoTime();
        Recommendation r;
        try {
            r = JsonCodec.readRecommendation(value);
        } catch (IOException e) {
            return; // not ours to judge; the job only writes valid answers
        }
        Long warmup = warmupSentAt.remove(r.requestId);
        if (warmup != null) {
            warmUp.answered((now - warmup) / 1_000_000);
            return;
        }
        Long sent = sentAt.remove(r.requestId);
        if (sent == null) {
            return; // an answer to someone else's request (gateway, request client) or a repeated
            // answer
        }
        answered.incrementAndGet();
        if (r.partial) {
            partial.incrementAndGet();
        }
        synchronized (roundTripMs) {
            roundTripMs.recordValue(Math.min(3_600_000L, Math.max(0, (now - sent) / 1_000_000)));
        }
        if (r.items != null && r.items.length > 0) {
            sample.set(r);
        }
    }

    /** Round-trip latency percentile in ms (0 before the first answer). */
    long percentileMs(double p) {
        synchronized (roundTripMs) {
            return roundTripMs.getTotalCount() == 0 ? 0 : roundTripMs.getValueAtPercentile(p);
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(5_000);
    }
}
