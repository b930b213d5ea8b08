package io.walkstream.cli;

import io.walkstream.config.KafkaConfig;
import io.walkstream.gen.MalformedRecords;
import io.walkstream.gen.Workload;
import io.walkstream.io.WireJson;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a workload to Kafka at fixed rates on its own thread: events to the interactions and items
 * topics, requests to the requests topic (remembering when each was sent, for round-trip latency),
 * and a small share of malformed records to all three.
 */
final class Feeder implements AutoCloseable {
    /** Rates and mix. */
    record Rates(double eventsPerSecond, double requestsPerSecond, double badShare, int k) {}

    final AtomicLong events = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();

    /** Requests sent during the warm-up: answered like any other, never measured. */
    final AtomicLong warmupRequests = new AtomicLong();

    /** Seconds from the start to the first measured request; negative while warming up. */
    private volatile double warmedUpAt = -1;

    /**
     * requestId → System.nanoTime() when sent; the watcher removes an entry when the answer
     * arrives.
     */
    final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    /** The same for warm-up requests, which only decide when the warm-up ends. */
    final Map<String, Long> warmupSentAt = new ConcurrentHashMap<>();

    final WarmUp warmUp;

    private final Workload workload;
    private final KafkaConfig topics;
    private final Rates rates;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SplittableRandom rnd;
    private final Thread thread;
    private volatile boolean running = true;

    Feeder(KafkaConfig kafka, Workload workload, Rates rates, WarmUp warmUp, long seed) {
        this.workload = workload;
        this.warmUp = warmUp;
        this.topics = kafka;
        this.rates = rates;
        this.rnd = new SplittableRandom(seed);
        Properties p =
                kafka.clientProperties(
                        Map.of(
                                ProducerConfig.LINGER_MS_CONFIG,
                                "5",
                                ProducerConfig.ACKS_CONFIG,
                                "1"));
        this.producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::loop, "walkstream-feeder");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** When measuring began, in seconds from the start; negative while warming up. */
    double warmedUpAt() {
        return warmedUpAt;
    }

    boolean finished() {
        return !thread.isAlive();
    }

    /** Paces by elapsed time: after t seconds, rate × t records should have gone out. */
    private void loop() {
        long start = System.nanoTime();
        long sentEvents = 0, sentRequests = 0, sentWarmups = 0;
        try {
            while (running && !workload.exhausted()) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                long now = System.currentTimeMillis();
                boolean idle = true;
                while (running
                        && sentEvents < rates.eventsPerSecond() * elapsed
                        && !workload.exhausted()) {
                    for (Event e : workload.nextEvents(now)) {
                        sendEvent(e);
                    }
                    sentEvents++;
                    idle = false;
                }
                // Measured requests start after a warm-up, so the first ones do not meet an empty
                // graph, a job still starting or code not yet compiled; unmeasured requests during
                // the warm-up take the request path's first-record costs (class loading, JIT, the
                // sinks' first sends).
                if (warmedUpAt < 0 && warmUp.goesOn(elapsed)) {
                    if (sentWarmups < rates.requestsPerSecond() * elapsed) {
                        Request r = workload.nextRequest(now, rates.k());
                        if (r != null) {
                            sendWarmup(r);
                        }
                        sentWarmups++;
                        idle = false;
                    }
                } else {
                    if (warmedUpAt < 0) {
                        warmedUpAt = elapsed;
                    }
                    if (sentRequests < rates.requestsPerSecond() * (elapsed - warmedUpAt)) {
                        Request r = workload.nextRequest(now, rates.k());
                        if (r != null) {
                            sendRequest(r);
                        }
                        sentRequests++;
                        idle = false;
                    }
                }
                if (idle) {
                    Thread.sleep(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.flush();
        }
    }

    private void sendEvent(Event e) {
        boolean item = e.kind == Event.ITEM;
        String topic = item ? topics.itemsTopic : topics.interactionsTopic;
        String key = item ? e.item : e.user;
        maybeMalformed(topic, item);
        producer.send(
                new ProducerRecord<>(
                        topic, key.getBytes(StandardCharsets.UTF_8), WireJson.event(e)));
        events.incrementAndGet();
    }

    private void sendRequest(Request r) {
        if (rnd.nextDouble() < rates.badShare()) {
            send(topics.requestsTopic, MalformedRecords.request(rnd));
        }
        sentAt.put(r.requestId, System.nanoTime());
        producer.send(
                new ProducerRecord<>(
                        topics.requestsTopic,
                        r.requestId.getBytes(StandardCharsets.UTF_8),
                        WireJson.request(r)));
        requests.incrementAndGet();
    }

    private void sendWarmup(Request r) {
        r.requestId = "warmup-" + r.requestId;
        warmupSentAt.put(r.requestId, System.nanoTime());
        producer.send(
                new ProducerRecord<>(
                        topics.requestsTopic,
                        r.requestId.getBytes(StandardCharsets.UTF_8),
                        WireJson.request(r)));
        warmupRequests.incrementAndGet();
    }

    private void maybeMalformed(String topic, boolean item) {
        if (rnd.nextDouble() < rates.badShare()) {
            send(topic, item ? MalformedRecords.item(rnd) : MalformedRecords.interaction(rnd));
        }
    }

    private void send(String topic, byte[] value) {
        producer.send(new ProducerRecord<>(topic, null, value));
        malformed.incrementAndGet();
    }

    /** Stops sending, flushes what was sent. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }
}
