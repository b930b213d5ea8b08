package io.walkstream.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.walkstream.serve.grpc.ItemMetadata;
import io.walkstream.serve.grpc.PublishEventsRequest;
import io.walkstream.serve.grpc.RecommendRequest;
import io.walkstream.serve.grpc.RecommenderGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over a thousand hostile calls against a running gateway (real broker, real job) — malformed JSON,
 * wrong types, oversized headers and bodies, connections that stall mid-request or send nothing,
 * bad keys, a client far over its rate — while a well-behaved client keeps asking for
 * recommendations over HTTP and gRPC. Every good call must succeed with the right answer, and every
 * hostile one must get the refusal meant for it (never a 5xx, never a hang). Bounded: a fixed
 * number of calls, on loopback, with a time limit on the whole; no speed is asserted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewayHostileClientTest {
    static final String GOOD = "good-client-0123456789abcdef";
    static final String GREEDY = "greedy-0123456789abcdef";
    static final String MALLORY = "mallory-0123456789abcdef"; // malformed JSON
    static final String TRUDY = "trudy-0123456789abcdef"; // wrong types
    static final String BULKY = "bulky-0123456789abcdef"; // oversized bodies and messages
    static final String SLOWPOKE = "slowpoke-0123456789abcdef"; // stalls mid-body
    static final int RATE_PER_SECOND = 5;

    /**
     * Short, so stalled connections are cut within the test, but not too short: on a loaded 2-core
     * machine a JVM pause can outlast a 1 s timeout and close a fresh, well-behaved connection.
     */
    static final int READ_TIMEOUT_MS = 3_000;

    static final int MAX_HEADER_BYTES = 4_096;
    static final int MAX_BODY_BYTES = GatewaySettings.MAX_REQUEST_BYTES;

    static LiveJob cluster;
    static GatewayServer gateway;
    static ManagedChannel channel;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        cluster = LiveJob.start();
        ApiKeys keys =
                ApiKeys.parse(
                        String.join(
                                "\n",
                                "good:" + GOOD,
                                "greedy:" + GREEDY,
                                "mallory:" + MALLORY,
                                "trudy:" + TRUDY,
                                "bulky:" + BULKY,
                                "slowpoke:" + SLOWPOKE),
                        "test");
        GatewaySecurity security =
                GatewaySecurity.OPEN
                        .withApiKeys(keys)
                        .withRateLimit(new GatewaySecurity.RateLimit(RATE_PER_SECOND, 50, 1_000))
                        .withConnectionLimits(MAX_HEADER_BYTES, READ_TIMEOUT_MS, 1_000);
        gateway =
                GatewayServer.start(
                        GatewaySettings.from(cluster.config, "127.0.0.1", 0, 0)
                                .withSecurity(security),
                        Duration.ofSeconds(30));
        port = gateway.httpPort();
        channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort())
                        .usePlaintext()
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What one kind of attack sent and got back; anything not expected is kept with its detail. */
    static final class Tally {
        final String name;
        final AtomicInteger sent = new AtomicInteger();
        final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

        Tally(String name) {
            this.name = name;
        }

        void record(String outcome, boolean expected, String detail) {
            sent.incrementAndGet();
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            if (!expected && unexpected.size() < 20) {
                unexpected.add(outcome + ": " + detail);
            }
        }

        int count(String outcome) {
            AtomicInteger n = outcomes.get(outcome);
            return n == null ? 0 : n.get();
        }

        @Override
        public String toString() {
            return name + " " + outcomes;
        }
    }

    static String bearer(String key) {
        return "Bearer " + key;
    }

    static RecommenderGrpc.RecommenderBlockingStub stub(String key) {
        Metadata md = new Metadata();
        if (key != null) {
            md.put(GrpcGuard.AUTHORIZATION, key);
        }
        return RecommenderGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** A recommendation call that is valid in every way. */
    static final String VALID = "{\"user\":\"u:1\",\"k\":5,\"timeoutMs\":10000}";

    @Test
    void hostileClientsGetTheirRefusalsWhileAGoodClientIsAnsweredThroughout() throws Exception {
        seed();
        AtomicBoolean attackOver = new AtomicBoolean();
        Tally good = new Tally("good");
        Thread goodClient = new Thread(() -> goodClient(good, attackOver), "good-client");
        goodClient.start();

        List<Tally> tallies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> attacks = new ArrayList<>();
        for (Callable<Tally> attack :
                List.<Callable<Tally>>of(
                        this::malformedJson,
                        this::wrongTypes,
                        this::hugeHeaders,
                        this::hugeBodies,
                        this::stalledConnections,
                        this::badKeysHttp,
                        this::badKeysGrpc,
                        this::greedy)) {
            attacks.add(
                    pool.submit(
                            () -> {
                                Tally t = attack.call();
                                synchronized (tallies) {
                                    tallies.add(t);
                                }
                                return t;
                            }));
        }
        for (Future<?> f : attacks) {
            f.get(4, TimeUnit.MINUTES);
        }
        pool.shutdown();
        attackOver.set(true);
        goodClient.join(60_000);

        int hostile = tallies.stream().mapToInt(t -> t.sent.get()).sum();
        System.err.printf("hostile calls: %d %s; good client: %s%n", hostile, tallies, good);
        assertThat(hostile).as("hostile calls sent: %s", tallies).isGreaterThanOrEqualTo(1_000);
        for (Tally t : tallies) {
            assertThat(t.unexpected).as(t.toString()).isEmpty();
        }
        assertThat(good.unexpected).as(good.toString()).isEmpty();
        assertThat(good.count("ok"))
                .as("the good client was served during the attack: %s", good)
                .isGreaterThanOrEqualTo(5);
        assertThat(goodClient.isAlive()).isFalse();

        Tally greedy = find(tallies, "greedy");
        assertThat(greedy.count("429")).as(greedy.toString()).isPositive();
        assertThat(greedy.count("RESOURCE_EXHAUSTED")).as(greedy.toString()).isPositive();
        String metrics =
                RawHttp.exchange(
                                port,
                                RawHttp.head("GET", "/metrics", bearer(GOOD), -1),
                                new byte[0])
                        .body();
        assertThat(
                        counter(
                                metrics,
                                "walkstream_gateway_rate_limited_total{api=\"http\",client=\"greedy\"}"))
                .isEqualTo(greedy.count("429"));
        assertThat(
                        counter(
                                metrics,
                                "walkstream_gateway_rate_limited_total{api=\"grpc\",client=\"greedy\"}"))
                .isEqualTo(greedy.count("RESOURCE_EXHAUSTED"));
        assertThat(counter(metrics, "walkstream_gateway_unauthenticated_total{api=\"http\"}"))
                .isEqualTo(find(tallies, "bad keys http").count("401"));
        assertThat(counter(metrics, "walkstream_gateway_unauthenticated_total{api=\"grpc\"}"))
                .isEqualTo(find(tallies, "bad keys grpc").count("UNAUTHENTICATED"));
        assertThat(
                        counter(
                                metrics,
                                "walkstream_gateway_rate_limited_total{api=\"http\",client=\"good\"}"))
                .isZero();
        assertThat(metrics).doesNotContain(GOOD).doesNotContain(GREEDY);
        assertThat(
                        RawHttp.exchange(
                                        port,
                                        RawHttp.head("GET", "/v1/health", null, -1),
                                        new byte[0])
                                .status())
                .isEqualTo(200);
    }

    static Tally find(List<Tally> tallies, String name) {
        return tallies.stream().filter(t -> t.name.equals(name)).findFirst().orElseThrow();
    }

    static long counter(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return 0;
    }

    /**
     * u:1 and u:2 bought i:a, u:2 also i:b: u:1 is recommended i:b. Waits until the job says so.
     */
    static void seed() throws Exception {
        RawHttp.Answer posted =
                RawHttp.post(
                        port,
                        "/v1/events",
                        bearer(GOOD),
                        """
                {"interactions":[{"user":"u:1","item":"i:a","action":"purchase"},
                                 {"user":"u:2","item":"i:a","action":"purchase"},
                                 {"user":"u:2","item":"i:b","action":"purchase"}]}""");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            RawHttp.Answer a = RawHttp.post(port, "/v1/recommendations", bearer(GOOD), VALID);
            if (a.status() == 200 && LiveJob.items(a.body()).contains("i:b")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the job never recommended i:b to u:1");
    }

    /**
     * Alternates HTTP and gRPC, at most a call every 250 ms (under its 5/s), until the attack is
     * over.
     */
    static void goodClient(Tally good, AtomicBoolean attackOver) {
        long start = System.nanoTime();
        for (int i = 0; !attackOver.get(); i++) {
            try {
                long wait = start + i * TimeUnit.MILLISECONDS.toNanos(250) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                List<String> items;
                if (i % 2 == 0) {
                    RawHttp.Answer a =
                            RawHttp.post(port, "/v1/recommendations", bearer(GOOD), VALID);
                    if (a.status() != 200) {
                        good.record("http " + a.status(), false, a.body());
                        continue;
                    }
                    items = LiveJob.items(a.body());
                } else {
                    items =
                            stub(bearer(GOOD))
                                    .recommend(
                                            RecommendRequest.newBuilder()
                                                    .setUser("u:1")
                                                    .setK(5)
                                                    .setTimeoutMs(10_000)
                                                    .build())
                                    .getItemsList()
                                    .stream()
                                    .map(it -> it.getItem())
                                    .toList();
                }
                boolean right = items.contains("i:b") && !items.contains("i:a");
                good.record(right ? "ok" : "wrong answer", right, items.toString());
            } catch (Exception e) {
                good.record("exception", false, e.toString());
            }
        }
    }

    Tally malformedJson() throws IOException {
        Tally t = new Tally("malformed json");
        String[] bodies = {
            "{",
            "{\"user\":",
            "{\"user\":\"u:1\"}}",
            "nul",
            "[1,2,",
            "\"just a string\"",
            "{user:u1}",
            "{\"user\":\"u:1\",}",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":".repeat(1_000) + "1" + "}".repeat(1_000),
            "\u0000\u0001\u0002",
            "",
            " ",
            "{\"user\":\"u:1\" \"k\":3}"
        };
        for (int i = 0; i < 150; i++) {
            String path = i % 3 == 0 ? "/v1/events" : "/v1/recommendations";
            RawHttp.Answer a = RawHttp.post(port, path, bearer(MALLORY), bodies[i % bodies.length]);
            expectRefusal(t, a, 400, "invalid_request");
        }
        // Bytes that are not UTF-8 at all.
        for (int i = 0; i < 10; i++) {
            byte[] junk = new byte[200];
            new Random(i).nextBytes(junk);
            RawHttp.Answer a =
                    RawHttp.exchange(
                            port,
                            RawHttp.head(
                                    "POST", "/v1/recommendations", bearer(MALLORY), junk.length),
                            junk);
            expectRefusal(t, a, 400, "invalid_request");
        }
        assertThat(t.count("400")).as(t.toString()).isPositive();
        return t;
    }

    Tally wrongTypes() throws IOException {
        Tally t = new Tally("wrong types");
        String[] recommend = {
            "{\"user\":5}",
            "{\"user\":\"u:1\",\"k\":\"five\"}",
            "{\"user\":[\"u:1\"]}",
            "{\"user\":{\"id\":1}}",
            "{\"user\":\"u:1\",\"exclude\":\"i:1\"}",
            "{\"user\":\"u:1\",\"timeoutMs\":\"soon\"}",
            "{\"user\":\"u:1\",\"k\":1.5}",
            "{\"user\":\"u:1\",\"k\":-3}",
            "{\"user\":\"u:1\",\"candidates\":[1,2]}",
            "{\"user\":null}",
            "{\"user\":true}",
            "{\"user\":\"u:1\",\"k\":1e400}",
            "{\"user\":\"" + "x".repeat(300) + "\"}",
            "[{\"user\":\"u:1\"}]",
            "42"
        };
        String[] events = {
            "{\"interactions\":{}}",
            "{\"user\":\"u:1\",\"item\":7,\"action\":\"view\"}",
            "{\"items\":[1,2]}",
            "{\"interactions\":[{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"ts\":\"yesterday\"}]}",
            "{\"items\":[{\"item\":\"i:1\",\"embedding\":\"fast\"}]}",
            "{\"feedback\":[{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"purchase\"}]}"
        };
        for (int i = 0; i < 150; i++) {
            boolean ev = i % 4 == 3;
            RawHttp.Answer a =
                    RawHttp.post(
                            port,
                            ev ? "/v1/events" : "/v1/recommendations",
                            bearer(TRUDY),
                            ev ? events[i % events.length] : recommend[i % recommend.length]);
            expectRefusal(t, a, 400, "invalid_request");
        }
        assertThat(t.count("400")).as(t.toString()).isPositive();
        return t;
    }

    /**
     * 400 (or what else is named) with its error code, or 429 from the client's own rate limit;
     * nothing else.
     */
    static void expectRefusal(Tally t, RawHttp.Answer a, int status, String code) {
        boolean meant = a.status() == status && a.body().contains("\"error\":\"" + code + "\"");
        boolean limited =
                a.status() == 429
                        && a.body().contains("\"error\":\"rate_limited\"")
                        && a.header("Retry-After") != null;
        t.record(String.valueOf(a.status()), meant || limited, a.head() + " " + a.body());
    }

    Tally hugeHeaders() throws IOException {
        Tally t = new Tally("huge headers");
        for (int i = 0; i < 40; i++) {
            String head =
                    switch (i % 4) {
                        case 0 ->
                                RawHttp.head(
                                        "POST",
                                        "/v1/recommendations",
                                        bearer(GOOD),
                                        2,
                                        "X-Pad: " + "p".repeat(2 * MAX_HEADER_BYTES));
                        case 1 ->
                                RawHttp.head(
                                        "POST",
                                        "/v1/recommendations",
                                        bearer(GOOD),
                                        2,
                                        manyHeaders(300));
                        case 2 ->
                                RawHttp.head(
                                        "POST",
                                        "/v1/recommendations",
                                        "Bearer " + "k".repeat(3 * MAX_HEADER_BYTES),
                                        2);
                        default ->
                                RawHttp.head(
                                        "GET",
                                        "/v1/health?" + "q".repeat(2 * MAX_HEADER_BYTES),
                                        null,
                                        -1);
                    };
            RawHttp.Answer a =
                    RawHttp.exchange(
                            port,
                            head,
                            i % 4 == 3 ? new byte[0] : "{}".getBytes(StandardCharsets.UTF_8));
            // 431 for headers; a request line over the limit is 414 (URI too long).
            t.record(
                    String.valueOf(a.status()),
                    a.status() == 431 || (i % 4 == 3 && a.status() == 414),
                    a.head());
        }
        // gRPC metadata over the limit: refused by the transport before any handler runs.
        for (int i = 0; i < 10; i++) {
            Metadata md = new Metadata();
            md.put(
                    Metadata.Key.of("x-pad", Metadata.ASCII_STRING_MARSHALLER),
                    "p".repeat(2 * MAX_HEADER_BYTES));
            try {
                stub(bearer(GOOD))
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                        .recommend(RecommendRequest.newBuilder().setUser("u:1").build());
                t.record("grpc OK", false, "metadata over the limit was accepted");
            } catch (StatusRuntimeException e) {
                t.record(
                        "grpc " + e.getStatus().getCode(),
                        e.getStatus().getCode() != Status.Code.OK,
                        e.getStatus().toString());
            }
        }
        return t;
    }

    static String manyHeaders(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "\r\n")
                    .append("X-Filler-")
                    .append(i)
                    .append(": value-")
                    .append(i);
        }
        return sb.toString();
    }

    /**
     * Bodies over the limit, declared or chunked, and a gRPC message over it; paced to stay under
     * the rate limit.
     */
    Tally hugeBodies() throws Exception {
        Tally t = new Tally("huge bodies");
        for (int i = 0; i < 30; i++) {
            RawHttp.Answer a =
                    switch (i % 3) {
                        // A Content-Length over the limit is refused before any of the body is
                        // read.
                        case 0 ->
                                RawHttp.exchange(
                                        port,
                                        RawHttp.head(
                                                "POST",
                                                "/v1/events",
                                                bearer(BULKY),
                                                50L * 1024 * 1024),
                                        "{\"items\":[".getBytes(StandardCharsets.UTF_8));
                        // A body that is larger than its limit, sent in full.
                        case 1 ->
                                RawHttp.post(
                                        port,
                                        "/v1/recommendations",
                                        bearer(BULKY),
                                        "{\"user\":\"u:1\",\"exclude\":["
                                                + "\"i:1\",".repeat(MAX_BODY_BYTES / 6)
                                                + "\"i:2\"]}");
                        // Chunked, so no length announces it: refused once the limit is crossed.
                        default ->
                                RawHttp.exchange(
                                        port,
                                        RawHttp.head(
                                                "POST",
                                                "/v1/recommendations",
                                                bearer(BULKY),
                                                -1,
                                                "Transfer-Encoding: chunked"),
                                        chunked(2 * MAX_BODY_BYTES));
                    };
            t.record(
                    String.valueOf(a.status()),
                    a.status() == 413 && a.body().contains("body_too_large"),
                    a.head() + " " + a.body());
            sleepQuietly(250); // under the 5/s: every refusal here must be for the size
        }
        for (int i = 0; i < 5; i++) {
            PublishEventsRequest big =
                    PublishEventsRequest.newBuilder()
                            .addItems(
                                    ItemMetadata.newBuilder()
                                            .setItem("i:big")
                                            .setCategoryBytes(
                                                    ByteString.copyFrom(
                                                            new byte
                                                                    [2
                                                                            * GatewaySettings
                                                                                    .MAX_EVENTS_BYTES])))
                            .build();
            try {
                stub(bearer(BULKY)).publishEvents(big);
                t.record("grpc OK", false, "a message over the limit was accepted");
            } catch (StatusRuntimeException e) {
                t.record(
                        "grpc " + e.getStatus().getCode(),
                        e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED,
                        e.getStatus().toString());
            }
            sleepQuietly(250);
        }
        return t;
    }

    static byte[] chunked(int total) {
        StringBuilder sb = new StringBuilder();
        String chunk = "x".repeat(4_096);
        for (int sent = 0; sent < total; sent += chunk.length()) {
            sb.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Connections that send nothing, half a request head, or a head and part of its body, then
     * stall. The server must close every one of them on its own (read timeout, 3 s here) — a read
     * that is still waiting after 30 s fails the test — while the good client goes on being served.
     */
    Tally stalledConnections() throws IOException {
        Tally t = new Tally("stalled connections");
        List<Socket> sockets = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        try {
            for (int i = 0; i < 120; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(30_000);
                String kind =
                        switch (i % 3) {
                            case 0 -> "silent";
                            case 1 -> "half a head";
                            default -> "half a body";
                        };
                String sent =
                        switch (i % 3) {
                            case 0 -> "";
                            case 1 ->
                                    "POST /v1/recommendations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bear";
                            default ->
                                    RawHttp.head(
                                                            "POST",
                                                            "/v1/recommendations",
                                                            bearer(SLOWPOKE),
                                                            1_000)
                                                    .replace("Connection: close\r\n", "")
                                            + "{\"user\":\"u:1\",";
                        };
                s.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                sockets.add(s);
                kinds.add(kind);
            }
            for (int i = 0; i < sockets.size(); i++) {
                try {
                    RawHttp.Answer a =
                            RawHttp.parse(RawHttp.readAll(sockets.get(i).getInputStream()));
                    // Closed by the server: with no answer, or 408 (Jetty's, or ours for a body
                    // that stopped coming).
                    t.record(
                            kinds.get(i) + " closed " + a.status(),
                            a.status() == -1 || a.status() == 408,
                            a.head());
                } catch (SocketTimeoutException stillOpen) {
                    t.record(
                            kinds.get(i) + " still open",
                            false,
                            "the server did not close it within 30 s");
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        return t;
    }

    Tally badKeysHttp() throws IOException {
        Tally t = new Tally("bad keys http");
        Random random = new Random(7);
        for (int i = 0; i < 250; i++) {
            String authorization =
                    switch (i % 6) {
                        case 0 -> null;
                        case 1 -> bearer(randomKey(random, 1 + random.nextInt(64)));
                        case 2 ->
                                bearer(
                                        GOOD.substring(0, GOOD.length() - 1)
                                                + "X"); // one character off
                        case 3 -> "Basic " + GOOD;
                        case 4 -> bearer("");
                        default -> bearer(GOOD + GOOD);
                    };
            RawHttp.Answer a =
                    i % 5 == 4
                            ? RawHttp.exchange(
                                    port,
                                    RawHttp.head("GET", "/metrics", authorization, -1),
                                    new byte[0])
                            : RawHttp.post(
                                    port,
                                    i % 2 == 0 ? "/v1/recommendations" : "/v1/events",
                                    authorization,
                                    VALID);
            boolean refused =
                    a.status() == 401
                            && "Bearer".equals(a.header("WWW-Authenticate"))
                            && a.body().contains("\"error\":\"unauthenticated\"")
                            && !a.body().contains(GOOD.substring(0, 8));
            t.record(String.valueOf(a.status()), refused, a.head() + " " + a.body());
        }
        return t;
    }

    Tally badKeysGrpc() {
        Tally t = new Tally("bad keys grpc");
        Random random = new Random(11);
        for (int i = 0; i < 100; i++) {
            String authorization =
                    switch (i % 3) {
                        case 0 -> null;
                        case 1 -> bearer(randomKey(random, 20));
                        default -> GOOD; // no scheme
                    };
            try {
                stub(authorization).recommend(RecommendRequest.newBuilder().setUser("u:1").build());
                t.record("OK", false, "answered without a valid key");
            } catch (StatusRuntimeException e) {
                Status s = e.getStatus();
                t.record(
                        s.getCode().toString(),
                        s.getCode() == Status.Code.UNAUTHENTICATED
                                && CallGuard.UNAUTHENTICATED_MESSAGE.equals(s.getDescription()),
                        s.toString());
            }
        }
        return t;
    }

    static String randomKey(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    /**
     * Far over its 5/s: HTTP calls from 16 threads, 50 at a time, then gRPC calls likewise; each
     * answered (200 / OK) or refused for the rate (429 with Retry-After / RESOURCE_EXHAUSTED). How
     * fast this machine lets it call is unknown, so it goes on until it has been refused at least
     * once on each face — at most 1,500 calls, so the test stays bounded either way.
     */
    Tally greedy() throws Exception {
        Tally t = new Tally("greedy");
        ExecutorService burst = Executors.newFixedThreadPool(16);
        try {
            for (int sent = 0; (sent < 300 || t.count("429") == 0) && sent < 1_500; sent += 50) {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    calls.add(
                            burst.submit(
                                    () -> {
                                        RawHttp.Answer a =
                                                RawHttp.post(
                                                        port,
                                                        "/v1/recommendations",
                                                        bearer(GREEDY),
                                                        VALID);
                                        boolean limited =
                                                a.status() == 429
                                                        && a.body()
                                                                .contains(
                                                                        "\"error\":\"rate_limited\"")
                                                        && Long.parseLong(a.header("Retry-After"))
                                                                >= 1;
                                        t.record(
                                                String.valueOf(a.status()),
                                                a.status() == 200 || limited,
                                                a.head() + " " + a.body());
                                        return null;
                                    }));
                }
                for (Future<?> f : calls) {
                    f.get(3, TimeUnit.MINUTES);
                }
            }
            for (int sent = 0;
                    (sent < 60 || t.count("RESOURCE_EXHAUSTED") == 0) && sent < 600;
                    sent += 20) {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(
                            burst.submit(
                                    () -> {
                                        try {
                                            stub(bearer(GREEDY))
                                                    .recommend(
                                                            RecommendRequest.newBuilder()
                                                                    .setUser("u:1")
                                                                    .setTimeoutMs(10_000)
                                                                    .build());
                                            t.record("OK", true, "");
                                        } catch (StatusRuntimeException e) {
                                            t.record(
                                                    e.getStatus().getCode().toString(),
                                                    e.getStatus().getCode()
                                                            == Status.Code.RESOURCE_EXHAUSTED,
                                                    e.getStatus().toString());
                                        }
                                        return null;
                                    }));
                }
                for (Future<?> f : calls) {
                    f.get(3, TimeUnit.MINUTES);
                }
            }
        } finally {
            burst.shutdownNow();
        }
        return t;
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
