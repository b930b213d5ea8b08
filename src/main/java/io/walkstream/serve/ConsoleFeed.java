package io.walkstream.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.config.KafkaConfig;
import io.walkstream.io.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's live view, kept by one thread with one Kafka consumer (no group, partitions
 * assigned by hand, nothing committed): once a second it reads the end offsets of the event and
 * request topics (their growth is the rate the whole system takes in, whoever produced it) and the
 * answer counts of {@link AnswerStats}; meanwhile it reads the dead-letter topic (from a few
 * records before its end, so the last reasons show at once) and the strategies topic (from its
 * start: the documents published). Keeps the last {@link #KEEP_SECONDS} seconds.
 */
final class ConsoleFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleFeed.class);
    static final int KEEP_SECONDS = 300;
    private static final int KEEP_DEAD_LETTERS = 20;
    private static final long REFRESH_MS = 30_000;

    private final KafkaConfig kafka;
    private final AnswerStats answers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final List<String> counted;
    private final Function<String, ObjectNode> describe;
    private volatile boolean closed;

    // Guarded by this.
    private final Deque<ObjectNode> seconds = new ArrayDeque<>();
    private final Deque<ObjectNode> lastDeadLetters = new ArrayDeque<>();
    private final Map<String, Long> deadLettersByTopic = new TreeMap<>();
    private final Map<String, ObjectNode> published = new TreeMap<>();

    // Owned by the feed's thread.
    private final Map<TopicPartition, Long> lastEnd = new HashMap<>();
    private final List<TopicPartition> countedPartitions = new ArrayList<>();
    private final List<TopicPartition> readPartitions = new ArrayList<>();

    /**
     * @param describe what to show about a published strategy document besides its text (worked out
     *     once, when the document arrives)
     */
    ConsoleFeed(KafkaConfig kafka, AnswerStats answers, Function<String, ObjectNode> describe) {
        this.kafka = kafka;
        this.answers = answers;
        this.describe = describe;
        this.counted = List.of(kafka.interactionsTopic, kafka.itemsTopic, kafka.requestsTopic);
        Properties p =
                kafka.clientProperties(
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.CLIENT_ID_CONFIG, "walkstream-gateway-console"));
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::loop, "walkstream-gateway-console");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        try {
            long nextSecond = System.currentTimeMillis() + 1000;
            long nextRefresh = 0;
            while (!closed) {
                long now = System.currentTimeMillis();
                if (now >= nextRefresh) {
                    refreshPartitions();
                    nextRefresh = now + REFRESH_MS;
                }
                if (now >= nextSecond) {
                    sample(now);
                    nextSecond += 1000;
                    if (nextSecond < now) {
                        nextSecond = now + 1000; // fell behind (a pause): do not burst
                    }
                }
                long wait = Math.max(1, Math.min(200, nextSecond - System.currentTimeMillis()));
                if (readPartitions.isEmpty()) {
                    Thread.sleep(wait);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(wait))) {
                    read(r);
                }
            }
        } catch (WakeupException | InterruptedException | InterruptException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("console feed stopped; the console's live view freezes", e);
        } finally {
            consumer.close();
        }
    }

    /** Picks up partitions of the counted and read topics that appeared since the last look. */
    private void refreshPartitions() {
        for (String topic : counted) {
            for (TopicPartition tp : partitionsOf(topic)) {
                if (!countedPartitions.contains(tp)) {
                    countedPartitions.add(tp);
                }
            }
        }
        List<TopicPartition> fresh = new ArrayList<>();
        for (String topic : List.of(kafka.deadLettersTopic, kafka.strategiesTopic)) {
            for (TopicPartition tp : partitionsOf(topic)) {
                if (!readPartitions.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        readPartitions.addAll(fresh);
        consumer.assign(readPartitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(fresh);
        for (TopicPartition tp : fresh) {
            long end = ends.getOrDefault(tp, 0L);
            long from =
                    tp.topic().equals(kafka.deadLettersTopic)
                            ? Math.max(0, end - KEEP_DEAD_LETTERS)
                            : 0;
            consumer.seek(tp, from);
        }
    }

    private List<TopicPartition> partitionsOf(String topic) {
        List<TopicPartition> out = new ArrayList<>();
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            if (infos != null) {
                for (PartitionInfo i : infos) {
                    out.add(new TopicPartition(i.topic(), i.partition()));
                }
            }
        } catch (TimeoutException e) {
            LOG.debug("cannot list partitions of {}: {}", topic, e.getMessage());
        }
        return out;
    }

    /** One second: growth of the counted topics, the answers' counts and latencies. */
    private void sample(long now) {
        Map<String, Long> growth = new LinkedHashMap<>();
        counted.forEach(t -> growth.put(t, 0L));
        if (!countedPartitions.isEmpty()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(countedPartitions);
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                Long before = lastEnd.put(e.getKey(), e.getValue());
                if (before != null) {
                    growth.merge(e.getKey().topic(), Math.max(0, e.getValue() - before), Long::sum);
                }
            }
        }
        AnswerStats.Second s = answers.takeSecond();
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("t", now);
        n.put("interactions", growth.get(kafka.interactionsTopic));
        n.put("items", growth.get(kafka.itemsTopic));
        n.put("requests", growth.get(kafka.requestsTopic));
        n.put("answers", s.answers());
        n.put("partial", s.partial());
        n.put("shed", s.shed());
        percentiles(n, "jobLatencyMs", s.jobLatencyMs(), 1);
        percentiles(n, "roundTripMs", s.roundTripMicros(), 1000);
        synchronized (this) {
            seconds.addLast(n);
            while (seconds.size() > KEEP_SECONDS) {
                seconds.removeFirst();
            }
        }
    }

    private static void percentiles(ObjectNode n, String name, Histogram h, double unit) {
        ObjectNode p = n.putObject(name);
        if (h.getTotalCount() == 0) {
            return;
        }
        p.put("p50", h.getValueAtPercentile(50) / unit);
        p.put("p90", h.getValueAtPercentile(90) / unit);
        p.put("p99", h.getValueAtPercentile(99) / unit);
        p.put("max", h.getMaxValue() / unit);
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        if (r.topic().equals(kafka.deadLettersTopic)) {
            deadLetter(r);
        } else {
            strategy(r);
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode d = JsonCodec.mapper().createObjectNode();
        try {
            JsonNode n = JsonCodec.mapper().readTree(r.value());
            for (String f :
                    List.of("sourceTopic", "partition", "offset", "reason", "rejectedAtMs")) {
                if (n.has(f)) {
                    d.set(f, n.get(f));
                }
            }
        } catch (IOException | RuntimeException e) {
            d.put("reason", "(a dead letter the console cannot read: " + e.getMessage() + ")");
        }
        d.put("timestamp", r.timestamp());
        String topic = d.path("sourceTopic").asText("?");
        synchronized (this) {
            deadLettersByTopic.merge(topic, 1L, Long::sum);
            lastDeadLetters.addFirst(d);
            while (lastDeadLetters.size() > KEEP_DEAD_LETTERS) {
                lastDeadLetters.removeLast();
            }
        }
    }

    private void strategy(ConsumerRecord<byte[], byte[]> r) {
        String name = r.key() == null ? "?" : new String(r.key(), StandardCharsets.UTF_8);
        ObjectNode d = JsonCodec.mapper().createObjectNode();
        d.put("name", name);
        d.put("publishedAtMs", r.timestamp());
        String document = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
        d.put("document", document);
        d.setAll(describe.apply(document));
        synchronized (this) {
            published.put(name, d);
        }
    }

    /** The last {@code lastSeconds} seconds, dead letters and published strategies, as JSON. */
    synchronized ObjectNode live(int lastSeconds) {
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        ArrayNode s = out.putArray("seconds");
        int skip = Math.max(0, seconds.size() - lastSeconds);
        for (ObjectNode n : seconds) {
            if (skip-- <= 0) {
                s.add(n);
            }
        }
        ObjectNode dl = out.putObject("deadLetters");
        ObjectNode byTopic = dl.putObject("byTopic");
        deadLettersByTopic.forEach(byTopic::put);
        ArrayNode last = dl.putArray("last");
        lastDeadLetters.forEach(last::add);
        return out;
    }

    /** The documents published on the strategies topic, the newest per name. */
    synchronized List<ObjectNode> published() {
        return new ArrayList<>(published.values());
    }

    @Override
    public void close() throws InterruptedException {
        // No interrupt: an interrupted thread cannot close its consumer cleanly (Kafka's close
        // throws and then waits out its fetch sessions). The flag and wakeup end the loop within
        // one poll or sleep (at most 200 ms).
        closed = true;
        consumer.wakeup();
        thread.join(5_000);
    }
}
