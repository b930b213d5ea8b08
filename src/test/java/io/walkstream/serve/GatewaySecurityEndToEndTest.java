package io.walkstream.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.walkstream.serve.grpc.HealthRequest;
import io.walkstream.serve.grpc.RecommendRequest;
import io.walkstream.serve.grpc.RecommenderGrpc;
import io.walkstream.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and TLS against the real job: gateways over HTTPS and gRPC-over-TLS (one from a PKCS12
 * keystore, one from PEM files, both with a self-signed certificate made for the test) answer an
 * authenticated caller with the job's recommendations and refuse everyone else. A plain-text
 * gateway with a short read timeout shows that a call waiting for the job outlives that timeout.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GatewaySecurityEndToEndTest {
    static final String KEY = "alice-0123456789abcdef";
    static final String OTHER_KEY = "mallory-0123456789abcdef";

    @TempDir static Path dir;
    static TestCertificates certs;
    static LiveJob cluster;
    static GatewayServer p12; // PKCS12 keystore, key required
    static GatewayServer pem; // PEM certificate and key, key required
    static GatewayServer idle; // plain text, no job behind it, 300 ms read timeout
    static HttpClient https;
    static ManagedChannel tlsChannel;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir);
        cluster = LiveJob.start();
        GatewaySecurity keyed =
                GatewaySecurity.OPEN.withApiKeys(ApiKeys.parse("alice:" + KEY, "test"));
        p12 =
                GatewayServer.start(
                        GatewaySettings.from(cluster.config, "127.0.0.1", 0, 0)
                                .withSecurity(
                                        keyed.withTls(
                                                ServerTls.pkcs12(
                                                        certs.pkcs12(), certs.password()))),
                        Duration.ofSeconds(30));
        pem =
                GatewayServer.start(
                        GatewaySettings.from(cluster.config, "127.0.0.1", 0, -1)
                                .withSecurity(
                                        keyed.withTls(
                                                ServerTls.pem(certs.certPem(), certs.keyPem()))),
                        Duration.ofSeconds(30));
        idle =
                GatewayServer.start(
                        GatewaySettings.from(cluster.freshTopics(), "127.0.0.1", 0, -1)
                                .withSecurity(
                                        GatewaySecurity.OPEN.withConnectionLimits(
                                                GatewaySecurity.MAX_HEADER_BYTES, 300, 100)),
                        Duration.ofSeconds(30));
        https =
                HttpClient.newBuilder()
                        .sslContext(certs.clientContext())
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
        tlsChannel =
                Grpc.newChannelBuilderForAddress(
                                "127.0.0.1",
                                p12.grpcPort(),
                                TlsChannelCredentials.newBuilder()
                                        .trustManager(certs.certPem().toFile())
                                        .build())
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tlsChannel != null) {
            tlsChannel.shutdownNow();
        }
        for (GatewayServer g : new GatewayServer[] {p12, pem, idle}) {
            if (g != null) {
                g.close();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static HttpResponse<String> call(
            HttpClient client, String url, String authorization, String body) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String url(GatewayServer g, String path) {
        return "https://127.0.0.1:" + g.httpPort() + path;
    }

    static RecommenderGrpc.RecommenderBlockingStub stub(String key) {
        Metadata md = new Metadata();
        if (key != null) {
            md.put(GrpcGuard.AUTHORIZATION, "Bearer " + key);
        }
        return RecommenderGrpc.newBlockingStub(tlsChannel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void anAuthenticatedCallerGetsTheJobsAnswersOverHttpsAndGrpcTls() throws Exception {
        HttpResponse<String> posted =
                call(
                        https,
                        url(p12, "/v1/events"),
                        "Bearer " + KEY,
                        """
                {"interactions":[{"user":"u:1","item":"i:a","action":"purchase"},
                                 {"user":"u:2","item":"i:a","action":"purchase"},
                                 {"user":"u:2","item":"i:b","action":"purchase"}]}""");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> items = List.of();
        while (!items.contains("i:b") && System.nanoTime() < until) {
            HttpResponse<String> r =
                    call(
                            https,
                            url(p12, "/v1/recommendations"),
                            "Bearer " + KEY,
                            "{\"user\":\"u:1\",\"timeoutMs\":3000}");
            assertThat(r.statusCode()).as(r.body()).isIn(200, 504);
            if (r.statusCode() == 200) {
                items = LiveJob.items(r.body());
            }
            if (!items.contains("i:b")) {
                Thread.sleep(200);
            }
        }
        assertThat(items).contains("i:b").doesNotContain("i:a");

        // The PEM-configured gateway serves the same certificate and the same answers.
        HttpResponse<String> viaPem =
                call(
                        https,
                        url(pem, "/v1/recommendations"),
                        "Bearer " + KEY,
                        "{\"user\":\"u:1\",\"timeoutMs\":5000}");
        assertThat(viaPem.statusCode()).as(viaPem.body()).isEqualTo(200);
        assertThat(LiveJob.items(viaPem.body())).contains("i:b");

        assertThat(
                        stub(KEY)
                                .recommend(
                                        RecommendRequest.newBuilder()
                                                .setUser("u:1")
                                                .setTimeoutMs(5000)
                                                .build())
                                .getItemsList())
                .extracting(i -> i.getItem())
                .contains("i:b")
                .doesNotContain("i:a");
    }

    @Test
    void callersWithoutAValidKeyGetNothingButUnauthenticated() throws Exception {
        String body = "{\"user\":\"u:1\"}";
        for (String authorization :
                new String[] {
                    null,
                    "Bearer " + OTHER_KEY,
                    "Bearer " + KEY + "x",
                    "Basic " + KEY,
                    KEY,
                    "Bearer"
                }) {
            HttpResponse<String> r =
                    call(https, url(p12, "/v1/recommendations"), authorization, body);
            assertThat(r.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            // The same words for every failure, and nothing of what was sent.
            assertThat(r.body())
                    .isEqualTo(
                            "{\"error\":\"unauthenticated\",\"message\":\""
                                    + CallGuard.UNAUTHENTICATED_MESSAGE
                                    + "\"}");
        }
        assertThat(call(https, url(p12, "/v1/events"), null, "{}").statusCode()).isEqualTo(401);
        assertThat(call(https, url(p12, "/metrics"), null, null).statusCode()).isEqualTo(401);
        assertThat(call(https, url(p12, "/v2/anything"), null, null).statusCode())
                .isEqualTo(401); // no probing for paths
        // The readiness check stays open for load balancers.
        assertThat(call(https, url(p12, "/v1/health"), null, null).statusCode()).isEqualTo(200);
        assertThat(
                        RecommenderGrpc.newBlockingStub(tlsChannel)
                                .health(HealthRequest.getDefaultInstance())
                                .getOk())
                .isTrue();

        for (String key : new String[] {null, OTHER_KEY}) {
            assertThatThrownBy(
                            () ->
                                    stub(key)
                                            .recommend(
                                                    RecommendRequest.newBuilder()
                                                            .setUser("u:1")
                                                            .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> {
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.UNAUTHENTICATED);
                                assertThat(e.getStatus().getDescription())
                                        .isEqualTo(CallGuard.UNAUTHENTICATED_MESSAGE);
                            });
        }

        String metrics = call(https, url(p12, "/metrics"), "Bearer " + KEY, null).body();
        assertThat(counter(metrics, "walkstream_gateway_unauthenticated_total{api=\"http\"}"))
                .isGreaterThanOrEqualTo(9);
        assertThat(counter(metrics, "walkstream_gateway_unauthenticated_total{api=\"grpc\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(metrics).doesNotContain(KEY).doesNotContain(OTHER_KEY);
    }

    static long counter(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return 0;
    }

    @Test
    void plainTextIsNotServedOnTheTlsPorts() {
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThatThrownBy(
                        () ->
                                call(
                                        plain,
                                        "http://127.0.0.1:" + p12.httpPort() + "/v1/health",
                                        null,
                                        null))
                .isInstanceOf(IOException.class);
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", p12.grpcPort())
                        .usePlaintext()
                        .build();
        try {
            assertThatThrownBy(
                            () ->
                                    RecommenderGrpc.newBlockingStub(channel)
                                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                                            .health(HealthRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e ->
                                    assertThat(e.getStatus().getCode())
                                            .isIn(Status.Code.UNAVAILABLE, Status.Code.INTERNAL));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aCallWaitingForTheJobOutlivesTheReadTimeout() throws Exception {
        // The read timeout (300 ms) bounds silence while a request is read, not the wait for the
        // job's answer: this call gets its full 1,500 ms deadline and a 504, not a dropped
        // connection.
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long t0 = System.nanoTime();
        HttpResponse<String> r =
                call(
                        plain,
                        "http://127.0.0.1:" + idle.httpPort() + "/v1/recommendations",
                        null,
                        "{\"user\":\"u:1\",\"timeoutMs\":1500}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
        assertThat(r.body()).contains("no answer from the job within 1500 ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                .isGreaterThanOrEqualTo(1500);
    }
}
