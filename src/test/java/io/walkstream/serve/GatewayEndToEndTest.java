package io.walkstream.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.walkstream.io.JsonCodec;
import io.walkstream.serve.grpc.Interaction;
import io.walkstream.serve.grpc.PublishEventsRequest;
import io.walkstream.serve.grpc.RecommendRequest;
import io.walkstream.serve.grpc.RecommendResponse;
import io.walkstream.serve.grpc.RecommenderGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway against a real in-process broker and the real job on a local MiniCluster (parallelism 2).
 * A second gateway points at topics no job reads, for deadlines and overload.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GatewayEndToEndTest {
    static LiveJob cluster;
    static GatewayServer live;   // in front of the running job
    static GatewayServer idle;   // no job behind it, at most 2 calls in flight
    static HttpClient http = HttpClient.newHttpClient();
    static ManagedChannel liveChannel;
    static ManagedChannel idleChannel;

    @BeforeAll
    static void start() throws Exception {
        cluster = LiveJob.start();
        live = GatewayServer.start(GatewaySettings.from(cluster.config, "127.0.0.1", 0, 0), Duration.ofSeconds(30));
        idle = GatewayServer.start(GatewaySettings.from(cluster.freshTopics(), "127.0.0.1", 0, 0)
                .withLimits(5_000, 30_000, 2, 1024, 4096, 10), Duration.ofSeconds(30));
        liveChannel = ManagedChannelBuilder.forAddress("127.0.0.1", live.grpcPort()).usePlaintext().build();
        idleChannel = ManagedChannelBuilder.forAddress("127.0.0.1", idle.grpcPort()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (liveChannel != null) liveChannel.shutdownNow();
        if (idleChannel != null) idleChannel.shutdownNow();
        if (live != null) live.close();
        if (idle != null) idle.close();
        if (cluster != null) cluster.close();
    }

    static HttpResponse<String> post(GatewayServer g, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(GatewayServer g, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.httpPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Asks over HTTP until the answer names {@code expected} (events take a moment to reach the walk's state). */
    static List<String> awaitRecommended(String user, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = post(live, "/v1/recommendations", "{\"user\":\"" + user + "\",\"k\":5,\"timeoutMs\":3000}");
            if (r.statusCode() == 200) {
                last = LiveJob.items(r.body());
                if (last.contains(expected)) return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no answer for " + user + " named " + expected + "; last answer: " + last);
    }

    @Test
    void httpAndGrpcCallsReturnTheJobsRecommendations() throws Exception {
        HttpResponse<String> posted = post(live, "/v1/events", """
                {"items":[{"item":"i:a","category":"shoes"},{"item":"i:b","category":"shoes"}],
                 "interactions":[{"user":"u:1","item":"i:a","action":"purchase"},
                                 {"user":"u:2","item":"i:a","action":"purchase"},
                                 {"user":"u:2","item":"i:b","action":"purchase"}]}""");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(JsonCodec.mapper().readTree(posted.body()).get("accepted").asInt()).isEqualTo(5);

        List<String> viaHttp = awaitRecommended("u:1", "i:b");
        assertThat(viaHttp).doesNotContain("i:a"); // already purchased

        RecommendResponse viaGrpc = RecommenderGrpc.newBlockingStub(liveChannel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .recommend(RecommendRequest.newBuilder().setUser("u:1").setK(5).build());
        assertThat(viaGrpc.getItemsList()).extracting(i -> i.getItem()).contains("i:b").doesNotContain("i:a");
        assertThat(viaGrpc.getRequestId()).startsWith("gw-");
        assertThat(viaGrpc.getItems(0).getReasonsList()).isNotEmpty();

        String metrics = get(live, "/metrics").body();
        assertThat(metrics).contains("walkstream_gateway_calls_total{api=\"http\",op=\"recommend\",outcome=\"ok\"}")
                .contains("walkstream_gateway_calls_total{api=\"grpc\",op=\"recommend\",outcome=\"ok\"}")
                .contains("walkstream_gateway_recommend_duration_seconds_bucket{api=\"grpc\",le=\"+Inf\"}")
                .contains("walkstream_gateway_in_flight 0");
        HttpResponse<String> health = get(live, "/v1/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"brokerReachable\":true", "\"replyConsumerAssigned\":true");
    }

    @Test
    void eventsPostedThroughTheGatewayChangeLaterAnswers() throws Exception {
        assertThat(post(live, "/v1/events", "{\"user\":\"u:20\",\"item\":\"i:q\",\"action\":\"like\"}").statusCode()).isEqualTo(200);
        // i:q has no other user yet: nothing to reach.
        String before = awaitAnswer("u:20");
        assertThat(LiveJob.items(before)).doesNotContain("i:r");

        // Another user links i:q to i:r, published over gRPC.
        int accepted = RecommenderGrpc.newBlockingStub(liveChannel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .publishEvents(PublishEventsRequest.newBuilder()
                        .addInteractions(Interaction.newBuilder().setUser("u:21").setItem("i:q").setAction("cart"))
                        .addInteractions(Interaction.newBuilder().setUser("u:21").setItem("i:r").setAction("purchase"))
                        .build()).getAccepted();
        assertThat(accepted).isEqualTo(2);
        assertThat(awaitRecommended("u:20", "i:r")).contains("i:r");
    }

    private static String awaitAnswer(String user) throws Exception {
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = post(live, "/v1/recommendations", "{\"user\":\"" + user + "\",\"timeoutMs\":3000}");
            if (r.statusCode() == 200) return r.body();
            Thread.sleep(200);
        }
        throw new AssertionError("no answer for " + user);
    }

    @Test
    void withoutARunningJobCallsEndWithADeadlineErrorOnTime() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = post(idle, "/v1/recommendations", "{\"user\":\"u:1\",\"timeoutMs\":300}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("\"error\":\"deadline_exceeded\"", "no answer from the job within 300 ms");
        assertThat(ms).isBetween(290L, 2_000L);

        t0 = System.nanoTime();
        assertThatThrownBy(() -> RecommenderGrpc.newBlockingStub(idleChannel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .recommend(RecommendRequest.newBuilder().setUser("u:1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000L);
        assertThat(idle.gateway().metrics().timeouts()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void callsBeyondTheInFlightBoundAreRefusedAtOnce() throws Exception {
        awaitIdle();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiting.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + idle.httpPort() + "/v1/recommendations"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"u:" + i + "\",\"timeoutMs\":3000}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (idle.gateway().inFlight() < 2 && System.nanoTime() < until) Thread.sleep(10);
        assertThat(idle.gateway().inFlight()).isEqualTo(2);

        long t0 = System.nanoTime();
        HttpResponse<String> refused = post(idle, "/v1/recommendations", "{\"user\":\"u:9\",\"timeoutMs\":3000}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("too many calls in flight (2)");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000L);
        assertThatThrownBy(() -> RecommenderGrpc.newBlockingStub(idleChannel).recommend(RecommendRequest.newBuilder().setUser("u:9").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        for (CompletableFuture<HttpResponse<String>> f : waiting) assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
        // Slots come back after the deadline (the 504 may reach the client a moment before its slot is released).
        long released = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (idle.gateway().inFlight() > 0 && System.nanoTime() < released) Thread.sleep(10);
        assertThat(idle.gateway().inFlight()).isZero();
    }

    private static void awaitIdle() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (idle.gateway().inFlight() > 0 && System.nanoTime() < until) Thread.sleep(10);
    }

    @Test
    void malformedCallsGet400WithTheReason() throws Exception {
        assertBadRequest(post(live, "/v1/recommendations", "{\"user\":"), "body: not valid JSON");
        assertBadRequest(post(live, "/v1/recommendations", ""), "body: empty");
        assertBadRequest(post(live, "/v1/recommendations", "[1,2]"), "expected a JSON object");
        assertBadRequest(post(live, "/v1/recommendations", "{\"k\":5}"), "user or item");
        assertBadRequest(post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"k\":\"5\"}"), "k:");
        assertBadRequest(post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"k\":100000}"), "k: must be between 1 and 500");
        assertBadRequest(post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"colour\":\"red\"}"), "colour");
        assertBadRequest(post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"requestId\":\"mine\"}"), "requestId: set by the gateway");
        assertBadRequest(post(live, "/v1/recommendations", "{\"user\":\"u:1\",\"timeoutMs\":0}"), "timeoutMs: must be between 1 and 30000");
        assertBadRequest(post(live, "/v1/events", "{\"interactions\":[{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\"},"
                + "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"teleport\"}]}"), "interactions[1]: action: unknown action 'teleport'");
        assertBadRequest(post(live, "/v1/events", "{\"feedback\":[{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"purchase\"}]}"),
                "feedback[0]: feedback is dislike, hide or impression");
        assertBadRequest(post(live, "/v1/events", "{\"user\":\"u:1\"}"), "cannot tell its kind");
        assertBadRequest(post(idle, "/v1/events", "{\"items\":[" + "{\"item\":\"i:1\"},".repeat(10) + "{\"item\":\"i:2\"}]}"),
                "batch: at most 10 events, got 11");

        HttpResponse<String> tooBig = post(idle, "/v1/recommendations", "{\"user\":\"" + "u".repeat(2000) + "\"}");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("exceeds 1024");
        assertThat(get(live, "/v1/recommendations").statusCode()).isEqualTo(405);
        assertThat(get(live, "/v2/nothing").statusCode()).isEqualTo(404);

        assertThatThrownBy(() -> RecommenderGrpc.newBlockingStub(liveChannel).recommend(RecommendRequest.newBuilder().setK(3).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("user or item");
                });
        assertThat(get(live, "/metrics").body()).contains("outcome=\"invalid_request\"");
    }

    private static void assertBadRequest(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"invalid_request\"").contains(reason);
    }
}
