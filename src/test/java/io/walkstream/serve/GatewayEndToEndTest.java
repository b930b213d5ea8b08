package io.walkstream.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.walkstream.config.JobConfig;
import io.walkstream.io.JsonCodec;
import io.walkstream.serve.grpc.Interaction;
import io.walkstream.serve.grpc.PublishEventsRequest;
import io.walkstream.serve.grpc.RecommendRequest;
import io.walkstream.serve.grpc.RecommendResponse;
import io.walkstream.serve.grpc.RecommenderGrpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway against a real in-process broker and the real job on a local MiniCluster (parallelism
 * 2). A second gateway points at topics no job reads, for deadlines and overload.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GatewayEndToEndTest {
    /**
     * How long a condition may take to hold: generous, a guard against hanging, not a speed bound.
     */
    static final Duration AWAIT = Duration.ofSeconds(30);

    static LiveJob cluster;
    static GatewayServer live; // in front of the running job
    static GatewayServer idle; // no job behind it, at most 2 calls in flight
    static JobConfig idleConfig; // its topics
    static KafkaProducer<byte[], byte[]>
            replies; // answers the test writes itself, for the idle gateway
    static HttpClient http = HttpClient.newHttpClient();
    static ManagedChannel liveChannel;
    static ManagedChannel idleChannel;

    @BeforeAll
    static void start() throws Exception {
        cluster = LiveJob.start();
        live =
                GatewayServer.start(
                        GatewaySettings.from(cluster.config, "127.0.0.1", 0, 0),
                        Duration.ofSeconds(30));
        idleConfig = cluster.freshTopics();
        idle =
                GatewayServer.start(
                        GatewaySettings.from(idleConfig, "127.0.0.1", 0, 0)
                                .withLimits(5_000, 30_000, 2, 1024, 4096, 10),
                        Duration.ofSeconds(30));
        liveChannel =
                ManagedChannelBuilder.forAddress("127.0.0.1", live.grpcPort())
                        .usePlaintext()
                        .build();
        idleChannel =
                ManagedChannelBuilder.forAddress("127.0.0.1", idle.grpcPort())
                        .usePlaintext()
                        .build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka.bootstrapServers());
        replies = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        if (liveChannel != null) {
            liveChannel.shutdownNow();
        }
        if (idleChannel != null) {
            idleChannel.shutdownNow();
        }
        if (live != null) {
            live.close();
        }
        if (idle != null) {
            idle.close();
        }
        if (replies != null) {
            replies.close(Duration.ofSeconds(5));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static HttpResponse<String> post(GatewayServer g, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.httpPort() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(GatewayServer g, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.httpPort() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Asks over HTTP until the answer names {@code expected} (events take a moment to reach the
     * walk's state).
     */
    static List<String> awaitRecommended(String user, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    post(
                            live,
                            "/v1/recommendations",
                            "{\"user\":\"" + user + "\",\"k\":5,\"timeoutMs\":3000}");
            if (r.statusCode() == 200) {
                last = LiveJob.items(r.body());
                if (last.contains(expected)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "no answer for " + user + " named " + expected + "; last answer: " + last);
    }

    @Test
    void httpAndGrpcCallsReturnTheJobsRecommendations() throws Exception {
        HttpResponse<String> posted =
                post(
                        live,
                        "/v1/events",
                        """
                {"items":[{"item":"i:a","category":"shoes"},{"item":"i:b","category":"shoes"}],
                 "interactions":[{"user":"u:1","item":"i:a","action":"purchase"},
                                 {"user":"u:2","item":"i:a","action":"purchase"},
                                 {"user":"u:2","item":"i:b","action":"purchase"}]}""");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(JsonCodec.mapper().readTree(posted.body()).get("accepted").asInt()).isEqualTo(5);

        List<String> viaHttp = awaitRecommended("u:1", "i:b");
        assertThat(viaHttp).doesNotContain("i:a"); // already purchased

        RecommendResponse viaGrpc =
                RecommenderGrpc.newBlockingStub(liveChannel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .recommend(RecommendRequest.newBuilder().setUser("u:1").setK(5).build());
        assertThat(viaGrpc.getItemsList())
                .extracting(i -> i.getItem())
                .contains("i:b")
                .doesNotContain("i:a");
        assertThat(viaGrpc.getRequestId()).startsWith("gw-");
        assertThat(viaGrpc.getItems(0).getReasonsList()).isNotEmpty();

        String metrics = get(live, "/metrics").body();
        assertThat(metrics)
                .contains(
                        "walkstream_gateway_calls_total{api=\"http\",op=\"recommend\",outcome=\"ok\"}")
                .contains(
                        "walkstream_gateway_calls_total{api=\"grpc\",op=\"recommend\",outcome=\"ok\"}")
                .contains(
                        "walkstream_gateway_recommend_duration_seconds_bucket{api=\"grpc\",le=\"+Inf\"}")
                .contains("walkstream_gateway_in_flight 0");
        HttpResponse<String> health = get(live, "/v1/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body())
                .contains("\"brokerReachable\":true", "\"replyConsumerAssigned\":true");
    }

    @Test
    void eventsPostedThroughTheGatewayChangeLaterAnswers() throws Exception {
        assertThat(
                        post(
                                        live,
                                        "/v1/events",
                                        "{\"user\":\"u:20\",\"item\":\"i:q\",\"action\":\"like\"}")
                                .statusCode())
                .isEqualTo(200);
        // i:q has no other user yet: nothing to reach.
        String before = awaitAnswer("u:20");
        assertThat(LiveJob.items(before)).doesNotContain("i:r");

        // Another user links i:q to i:r, published over gRPC.
        int accepted =
                RecommenderGrpc.newBlockingStub(liveChannel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .publishEvents(
                                PublishEventsRequest.newBuilder()
                                        .addInteractions(
                                                Interaction.newBuilder()
                                                        .setUser("u:21")
                                                        .setItem("i:q")
                                                        .setAction("cart"))
                                        .addInteractions(
                                                Interaction.newBuilder()
                                                        .setUser("u:21")
                                                        .setItem("i:r")
                                                        .setAction("purchase"))
                                        .build())
                        .getAccepted();
        assertThat(accepted).isEqualTo(2);
        assertThat(awaitRecommended("u:20", "i:r")).contains("i:r");
    }

    private static String awaitAnswer(String user) throws Exception {
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r =
                    post(
                            live,
                            "/v1/recommendations",
                            "{\"user\":\"" + user + "\",\"timeoutMs\":3000}");
            if (r.statusCode() == 200) {
                return r.body();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no answer for " + user);
    }

    @Test
    void withoutARunningJobCallsEndWithADeadlineErrorOnTime() throws Exception {
        await("no call in flight at the idle gateway", () -> idle.gateway().inFlight() == 0);
        long timeoutsBefore = idle.gateway().metrics().timeouts();
        long t0 = System.nanoTime();
        HttpResponse<String> r =
                post(idle, "/v1/recommendations", "{\"user\":\"u:1\",\"timeoutMs\":300}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        // Ended by its own 300 ms deadline (the error names it), and never before that deadline. No
        // upper bound on the time: how late a timer fires on a loaded machine is not what this test
        // is about.
        assertThat(r.body())
                .contains(
                        "\"error\":\"deadline_exceeded\"", "no answer from the job within 300 ms");
        assertThat(ms).isGreaterThanOrEqualTo(300L);
        assertThat(idle.gateway().metrics().timeouts()).isGreaterThan(timeoutsBefore);
        // The call's slot comes back after the deadline (the 504 may reach the client a moment
        // before).
        await("the timed-out call's slot released", () -> idle.gateway().inFlight() == 0);

        assertThatThrownBy(
                        () ->
                                RecommenderGrpc.newBlockingStub(idleChannel)
                                        .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                                        .recommend(
                                                RecommendRequest.newBuilder()
                                                        .setUser("u:1")
                                                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }

    @Test
    void callsBeyondTheInFlightBoundAreRefusedAtOnce() throws Exception {
        await("no call in flight at the idle gateway", () -> idle.gateway().inFlight() == 0);
        // Two calls fill both slots. They ask for the longest deadline allowed, so no timer can
        // free a slot while the refusals below are checked; the test answers them itself at the
        // end.
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiting.add(
                    http.sendAsync(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + idle.httpPort()
                                                            + "/v1/recommendations"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"user\":\"u:slot"
                                                            + i
                                                            + "\",\"timeoutMs\":30000}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        await("both slots taken", () -> idle.gateway().inFlight() == 2);

        // Refused, not queued: both slots stay taken until the test answers their calls, so a call
        // that waited for a slot would end in a 504 after its deadline, not in a 429.
        HttpResponse<String> refused =
                post(idle, "/v1/recommendations", "{\"user\":\"u:9\",\"timeoutMs\":3000}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("too many calls in flight (2)");
        assertThatThrownBy(
                        () ->
                                RecommenderGrpc.newBlockingStub(idleChannel)
                                        .recommend(
                                                RecommendRequest.newBuilder()
                                                        .setUser("u:9")
                                                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        // Answer the two waiting calls as the job would: on the recommendations topic, keyed by
        // request id.
        for (String id : requestIdsFor(idleConfig.kafka.requestsTopic, "u:slot0", "u:slot1")) {
            byte[] answer =
                    ("{\"requestId\":\"" + id + "\",\"items\":[]}")
                            .getBytes(StandardCharsets.UTF_8);
            replies.send(
                            new ProducerRecord<>(
                                    idleConfig.kafka.recommendationsTopic,
                                    id.getBytes(StandardCharsets.UTF_8),
                                    answer))
                    .get();
        }
        for (CompletableFuture<HttpResponse<String>> f : waiting) {
            assertThat(f.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        // Slots come back with the answers (the answer may reach the client a moment before its
        // slot is released).
        await("both slots released", () -> idle.gateway().inFlight() == 0);
    }

    /**
     * The gateway-assigned request ids of the calls for {@code users}, read from the requests
     * topic.
     */
    private static List<String> requestIdsFor(String topic, String... users) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "ids-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, String> idByUser = new TreeMap<>();
        List<String> wanted = List.of(users);
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (!idByUser.keySet().containsAll(wanted)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "requests for " + wanted + " not on " + topic + "; found " + idByUser);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    try {
                        JsonNode n = JsonCodec.mapper().readTree(r.value());
                        if (n.hasNonNull("user")) {
                            idByUser.put(n.get("user").asText(), n.get("requestId").asText());
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return wanted.stream().map(idByUser::get).toList();
    }

    /** Polls {@code condition} until it holds; fails after {@link #AWAIT}. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + AWAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void malformedCallsGet400WithTheReason() throws Exception {
        assertBadRequest(post(live, "/v1/recommendations", "{\"user\":"), "body: not valid JSON");
        assertBadRequest(post(live, "/v1/recommendations", ""), "body: empty");
        assertBadRequest(post(live, "/v1/recommendations", "[1,2]"), "expected a JSON object");
        assertBadRequest(post(live, "/v1/recommendations", "{\"k\":5}"), "user or item");
        assertBadRequest(post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"k\":\"5\"}"), "k:");
        assertBadRequest(
                post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"k\":100000}"),
                "k: must be between 1 and 500");
        assertBadRequest(
                post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"colour\":\"red\"}"),
                "colour");
        assertBadRequest(
                post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"requestId\":\"mine\"}"),
                "requestId: set by the gateway");
        assertBadRequest(
                post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"timeoutMs\":0}"),
                "timeoutMs: must be between 1 and 30000");
        assertBadRequest(
                post(
                        live,
                        "/v1/events",
                        "{\"interactions\":[{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\"},"
                                + "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"teleport\"}]}"),
                "interactions[1]: action: unknown action 'teleport'");
        assertBadRequest(
                post(
                        live,
                        "/v1/events",
                        "{\"feedback\":[{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"purchase\"}]}"),
                "feedback[0]: feedback is dislike, hide or impression");
        assertBadRequest(post(live, "/v1/events", "{\"user\":\"u:1\"}"), "cannot tell its kind");
        assertBadRequest(
                post(
                        idle,
                        "/v1/events",
                        "{\"items\":[" + "{\"item\":\"i:1\"},".repeat(10) + "{\"item\":\"i:2\"}]}"),
                "batch: at most 10 events, got 11");

        HttpResponse<String> tooBig =
                post(idle, "/v1/recommendations", "{\"user\":\"" + "u".repeat(2000) + "\"}");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("exceeds 1024");
        assertThat(get(live, "/v1/recommendations").statusCode()).isEqualTo(405);
        assertThat(get(live, "/v2/nothing").statusCode()).isEqualTo(404);

        assertThatThrownBy(
                        () ->
                                RecommenderGrpc.newBlockingStub(liveChannel)
                                        .recommend(RecommendRequest.newBuilder().setK(3).build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).contains("user or item");
                        });
        assertThat(get(live, "/metrics").body()).contains("outcome=\"invalid_request\"");
    }

    private static void assertBadRequest(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"invalid_request\"").contains(reason);
    }
}
