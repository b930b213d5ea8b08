package io.walkstream.serve;

import io.walkstream.config.KafkaConfig;
import io.walkstream.io.RecommendationSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the recommendations topic on its own thread and hands each answer to the
 * call of this instance that waits for it (matched on the {@code requestId} header).
 *
 * <p>No consumer group: partitions are assigned by hand, starting at their end when the gateway
 * starts. Every instance therefore sees every answer, whichever partition the job wrote it to, and
 * instances never rebalance, commit offsets or coordinate. The price is that each instance reads
 * all answers and drops the ones that are not its own. New partitions are picked up every 30 s.
 */
final class ReplyConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyConsumer.class);
    private static final long REFRESH_MS = 30_000;

    private final String topic;
    private final PendingCalls pending;
    private final GatewayMetrics metrics;
    private final Consumer<byte[]> everyAnswer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch assignedLatch = new CountDownLatch(1);
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean ready;
    private volatile Throwable failure;

    /**
     * {@code everyAnswer} sees every answer read, this instance's or not (the console counts them).
     */
    ReplyConsumer(
            KafkaConfig kafka,
            PendingCalls pending,
            GatewayMetrics metrics,
            Consumer<byte[]> everyAnswer) {
        this.topic = kafka.recommendationsTopic;
        this.pending = pending;
        this.metrics = metrics;
        this.everyAnswer = everyAnswer;
        Properties p =
                kafka.clientProperties(
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                        "read_committed", // right for both delivery modes of the
                                // job
                                ConsumerConfig.CLIENT_ID_CONFIG, "walkstream-gateway-replies"));
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::loop, "walkstream-gateway-replies");
        this.thread.setDaemon(true);
    }

    /** Starts reading; returns once every partition is assigned and positioned at its end. */
    void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!assignedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "no partitions of topic '"
                            + topic
                            + "' found within "
                            + timeout.toSeconds()
                            + " s"
                            + (failure == null ? "" : ": " + failure));
        }
    }

    boolean ready() {
        return ready && thread.isAlive();
    }

    private void loop() {
        try {
            while (!refreshAssignment()) {
                Thread.sleep(500);
            }
            ready = true;
            assignedLatch.countDown();
            long nextRefresh = System.currentTimeMillis() + REFRESH_MS;
            while (true) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
                    Header h = rec.headers().lastHeader(RecommendationSerializer.REQUEST_ID_HEADER);
                    String id =
                            h != null
                                    ? new String(h.value(), StandardCharsets.UTF_8)
                                    : rec.key() != null
                                            ? new String(rec.key(), StandardCharsets.UTF_8)
                                            : null;
                    if (id == null || !pending.complete(id, rec.value())) {
                        metrics.ignoredReply();
                    }
                    everyAnswer.accept(rec.value());
                }
                if (System.currentTimeMillis() >= nextRefresh) {
                    refreshAssignment();
                    nextRefresh = System.currentTimeMillis() + REFRESH_MS;
                }
            }
        } catch (WakeupException | InterruptedException | InterruptException e) {
            // close() asked us to stop
        } catch (Throwable t) {
            failure = t;
            LOG.error("reply consumer stopped; the gateway is unhealthy", t);
        } finally {
            ready = false;
            consumer.close();
        }
    }

    /**
     * Adds partitions not yet assigned; the first ones start at their end, later ones at their
     * start.
     */
    private boolean refreshAssignment() {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (TimeoutException e) {
            LOG.warn("cannot list partitions of {}: {}", topic, e.getMessage());
            return false;
        }
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        Set<TopicPartition> fresh = new HashSet<>();
        for (PartitionInfo i : infos) {
            TopicPartition tp = new TopicPartition(i.topic(), i.partition());
            if (!assigned.contains(tp)) {
                fresh.add(tp);
            }
        }
        if (fresh.isEmpty()) {
            return true;
        }
        boolean first = assigned.isEmpty();
        assigned.addAll(fresh);
        consumer.assign(assigned);
        if (first) {
            consumer.seekToEnd(fresh);
        } else {
            consumer.seekToBeginning(fresh); // created after we started: all its answers are recent
        }
        fresh.forEach(
                consumer::position); // resolve now, so no answer sent after start() returns is
        // missed
        LOG.info("reading answers from {} partitions of {}", assigned.size(), topic);
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        if (!ready) {
            thread.interrupt(); // may be sleeping between attempts to find the topic
        }
        thread.join(5_000);
    }
}
