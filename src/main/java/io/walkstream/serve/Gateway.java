package io.walkstream.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.io.JsonCodec;
import io.walkstream.io.Parsed;
import io.walkstream.io.WireJson;
import io.walkstream.model.Request;
import io.walkstream.serve.GatewayException.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The transport-independent core of the gateway, shared by HTTP and gRPC: validates a call, turns
 * it into a record on the requests (or event) topics, and completes when the job's answer arrives
 * on the recommendations topic or the call's deadline passes. Holds no state a restart would lose:
 * instances can be added and removed freely.
 */
public final class Gateway implements AutoCloseable {
    /**
     * How much of a call's deadline the walk itself gets; the rest is for the hops through Kafka.
     */
    static final double WALK_SHARE = 0.75;

    private final GatewaySettings settings;
    private final String instanceId = "gw-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final PendingCalls pending;
    private final Semaphore eventBatches;
    private final EventBodies eventBodies;
    private final KafkaProducer<byte[], byte[]> requestProducer;
    private final KafkaProducer<byte[], byte[]> eventProducer;
    private final ReplyConsumer replies;
    private final BrokerProbe broker;
    private final Console console;

    public Gateway(GatewaySettings settings) {
        this.settings = settings;
        this.pending = new PendingCalls(settings.maxInFlight());
        this.eventBatches = new Semaphore(Math.max(1, settings.maxInFlight() / 10));
        this.eventBodies =
                new EventBodies(
                        settings.kafka().interactionsTopic,
                        settings.kafka().itemsTopic,
                        settings.maxBatchEvents());
        metrics.inFlight(pending::size, settings.maxInFlight());
        // Requests: latency first (no batching delay, leader ack only); a lost request is a 504,
        // not lost data.
        this.requestProducer = producer("walkstream-gateway-requests", "1", "0");
        // Events: durability first (all replicas, idempotent); a few ms of batching is harmless.
        this.eventProducer = producer("walkstream-gateway-events", "all", "2");
        this.console = new Console(settings);
        this.replies =
                new ReplyConsumer(settings.kafka(), pending, metrics, console.answers()::answer);
        this.broker = new BrokerProbe(settings.kafka());
    }

    private KafkaProducer<byte[], byte[]> producer(String clientId, String acks, String lingerMs) {
        Properties p =
                settings.kafka()
                        .clientProperties(
                                Map.of(
                                        ProducerConfig.CLIENT_ID_CONFIG,
                                        clientId,
                                        ProducerConfig.ACKS_CONFIG,
                                        acks,
                                        ProducerConfig.LINGER_MS_CONFIG,
                                        lingerMs,
                                        // send() blocks while metadata is missing or the buffer is
                                        // full: cap that, a caller is waiting.
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                        "1000",
                                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                        "30000",
                                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                        "10000"));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Starts reading answers; returns when the reply consumer is positioned on every partition. */
    public void start(Duration timeout) throws InterruptedException {
        replies.start(timeout);
        console.start();
    }

    public GatewaySettings settings() {
        return settings;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    Console console() {
        return console;
    }

    public int inFlight() {
        return pending.size();
    }

    public record Health(boolean brokerReachable, boolean replyConsumerAssigned, int inFlight) {
        public boolean ok() {
            return brokerReachable && replyConsumerAssigned;
        }
    }

    public Health health() {
        return new Health(broker.reachable(), replies.ready(), pending.size());
    }

    /**
     * Asks the job for recommendations. {@code body} is the request JSON without {@code requestId}
     * (the gateway assigns it), optionally with {@code timeoutMs}, the call's deadline. {@code
     * transportDeadlineMs} (0 for none) is a deadline set by the transport, e.g. gRPC's. The future
     * completes with the job's answer JSON, or fails with a {@link GatewayException}.
     */
    public CompletableFuture<byte[]> recommend(
            JsonNode body, long transportDeadlineMs, String api) {
        long start = System.nanoTime();
        CompletableFuture<byte[]> result;
        try {
            result = send(body, transportDeadlineMs);
        } catch (GatewayException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete(
                (answer, error) -> {
                    long took = System.nanoTime() - start;
                    metrics.call(
                            api,
                            "recommend",
                            error != null
                                    ? GatewayException.of(error).kind().code
                                    : isPartial(answer) ? "partial" : "ok",
                            took);
                    if (error == null) {
                        console.answers().roundTrip(took);
                    }
                });
    }

    private CompletableFuture<byte[]> send(JsonNode body, long transportDeadlineMs) {
        if (!(body instanceof ObjectNode obj)) {
            throw invalid("body: expected a JSON object");
        }
        if (obj.has("requestId")) {
            throw invalid("requestId: set by the gateway, leave it out");
        }
        long deadlineMs = deadline(obj.remove("timeoutMs"), transportDeadlineMs);
        String id = instanceId + "-" + sequence.incrementAndGet();
        obj.put("requestId", id);
        obj.put("timeoutMs", Math.max(1, (long) (deadlineMs * WALK_SHARE)));
        Parsed<Request> parsed = JsonCodec.parseRequest(JsonCodec.write(obj), settings.maxK());
        if (!parsed.isOk()) {
            throw invalid(parsed.error().replace("invalid JSON: ", ""));
        }

        CompletableFuture<byte[]> answer = pending.register(id);
        if (answer == null) {
            throw new GatewayException(
                    Kind.OVERLOADED,
                    "too many calls in flight ("
                            + pending.capacity()
                            + "); retry with backoff or add gateway instances");
        }
        answer.orTimeout(deadlineMs, TimeUnit.MILLISECONDS);
        try {
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            requestProducer.send(
                    new ProducerRecord<>(
                            settings.kafka().requestsTopic, key, WireJson.request(parsed.value())),
                    (meta, e) -> {
                        if (e != null) {
                            answer.completeExceptionally(
                                    new GatewayException(
                                            Kind.UNAVAILABLE,
                                            "could not send the request to Kafka: "
                                                    + e.getMessage()));
                        }
                    });
        } catch (RuntimeException e) {
            answer.completeExceptionally(
                    new GatewayException(
                            Kind.UNAVAILABLE,
                            "could not send the request to Kafka: " + e.getMessage()));
        }
        return answer.exceptionallyCompose(
                e ->
                        CompletableFuture.failedFuture(
                                unwrap(e) instanceof TimeoutException
                                        ? new GatewayException(
                                                Kind.DEADLINE,
                                                "no answer from the job within "
                                                        + deadlineMs
                                                        + " ms (request "
                                                        + id
                                                        + ")")
                                        : e));
    }

    /**
     * The caller's {@code timeoutMs} if given, else the transport's deadline, else the default;
     * never above the maximum.
     */
    private long deadline(JsonNode timeoutMs, long transportDeadlineMs) {
        long ms;
        if (timeoutMs == null || timeoutMs.isNull()) {
            ms = transportDeadlineMs > 0 ? transportDeadlineMs : settings.defaultDeadlineMs();
        } else if (!timeoutMs.isIntegralNumber() || !timeoutMs.canConvertToLong()) {
            throw invalid(
                    "timeoutMs: expected an integer number of milliseconds, got "
                            + clip(timeoutMs.toString()));
        } else {
            ms = timeoutMs.longValue();
            if (ms < 1 || ms > settings.maxDeadlineMs()) {
                throw invalid(
                        "timeoutMs: must be between 1 and "
                                + settings.maxDeadlineMs()
                                + ", got "
                                + ms);
            }
            if (transportDeadlineMs > 0) {
                ms = Math.min(ms, transportDeadlineMs);
            }
        }
        return Math.max(1, Math.min(ms, settings.maxDeadlineMs()));
    }

    /**
     * Validates every event and produces them; completes with the count once Kafka has acknowledged
     * all.
     */
    public CompletableFuture<Integer> publish(JsonNode body, String api) {
        long start = System.nanoTime();
        CompletableFuture<Integer> result;
        try {
            result = produce(eventBodies.parse(body, System.currentTimeMillis()));
        } catch (GatewayException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete(
                (n, error) -> {
                    metrics.call(
                            api,
                            "events",
                            error != null ? GatewayException.of(error).kind().code : "ok",
                            System.nanoTime() - start);
                    if (n != null) {
                        metrics.eventsProduced(n);
                    }
                });
    }

    private CompletableFuture<Integer> produce(List<OutgoingEvent> events) {
        if (!eventBatches.tryAcquire()) {
            throw new GatewayException(
                    Kind.OVERLOADED, "too many event batches in flight; retry with backoff");
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(events.size());
        try {
            for (OutgoingEvent e : events) {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                eventProducer.send(
                        new ProducerRecord<>(
                                e.topic(), e.key().getBytes(StandardCharsets.UTF_8), e.value()),
                        (meta, err) -> {
                            if (err != null) {
                                ack.completeExceptionally(err);
                            } else {
                                ack.complete(null);
                            }
                        });
                acks.add(ack);
            }
        } catch (RuntimeException e) {
            acks.add(CompletableFuture.failedFuture(e));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .orTimeout(settings.maxDeadlineMs(), TimeUnit.MILLISECONDS)
                .handle(
                        (v, e) -> {
                            eventBatches.release();
                            if (e != null) {
                                throw new GatewayException(
                                        Kind.UNAVAILABLE,
                                        "Kafka did not acknowledge the events"
                                                + " (some may have been written): "
                                                + unwrap(e).getMessage());
                            }
                            return events.size();
                        });
    }

    private static boolean isPartial(byte[] answer) {
        // The job writes "partial":true|false in every answer; a substring check avoids parsing it
        // again.
        return answer != null
                && new String(answer, StandardCharsets.UTF_8).contains("\"partial\":true");
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(Kind.INVALID, message);
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    @Override
    public void close() throws InterruptedException {
        console.close();
        replies.close();
        requestProducer.close(Duration.ofSeconds(2));
        eventProducer.close(Duration.ofSeconds(2));
        broker.close();
    }
}
