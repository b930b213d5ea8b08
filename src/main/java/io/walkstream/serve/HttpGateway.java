package io.walkstream.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.io.JsonCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP/JSON face of the {@link Gateway} on Jetty 12's core API (no servlets). Handlers are
 * asynchronous: a call waiting for the job holds no thread, only an entry in the bounded in-flight
 * map, so a few threads serve many concurrent calls. The thread pool's queue is bounded too.
 *
 * <pre>
 * POST /v1/recommendations   request JSON (no requestId) → the job's answer JSON
 * POST /v1/events            one event or {"interactions":[…],"items":[…],"feedback":[…]} → {"accepted":n}
 * GET  /v1/health            {"ok":…,"brokerReachable":…,"replyConsumerAssigned":…,"inFlight":…} (503 when not ok)
 * GET  /metrics              Prometheus text format
 * GET  /                     the web console (a page from the jar; its data comes from the calls below)
 * GET  /v1/console/live      the last ?seconds=N (default 120) seconds of traffic, recent dead letters
 * GET  /v1/strategies        strategies published (with the job's checks' problems) and served
 * POST /v1/strategies        a strategy document (YAML or JSON) → checked, then published
 * </pre>
 *
 * Errors are {@code {"error":"<code>","message":"<what is wrong>"}} with status 400, 401, 404, 405,
 * 408, 413, 429, 503 or 504; Jetty itself answers 431 for headers over the limit.
 *
 * <p>Protection ({@link GatewaySecurity}): HTTPS when a {@link ServerTls} is given; every call but
 * the health check passes the {@link HttpGuard} (key, rate); the connector's idle timeout is the
 * read timeout, so a client that stops sending mid-request (or mid-handshake) is cut off — stalled
 * connections hold no thread meanwhile, the handlers being asynchronous — and the number of open
 * connections is capped, which bounds a client that trickles bytes just fast enough.
 */
public final class HttpGateway implements AutoCloseable {
    private static final String JSON = "application/json";

    private final Gateway gateway;
    private final Server server;
    private final ServerConnector connector;

    HttpGateway(Gateway gateway, CallGuard guard) throws GeneralSecurityException {
        this.gateway = gateway;
        GatewaySettings s = gateway.settings();
        GatewaySecurity sec = s.security();
        QueuedThreadPool pool = new QueuedThreadPool(32, 4, 60_000, new BlockingArrayQueue<>(1024));
        pool.setName("walkstream-gateway-http");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(sec.maxHeaderBytes());
        http.setSendServerVersion(false);
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        if (sec.tls() == null) {
            connector = new ServerConnector(server, 1, 1, plain);
        } else {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setSslContext(sec.tls().sslContext());
            connector =
                    new ServerConnector(
                            server,
                            1,
                            1,
                            new SslConnectionFactory(tls, plain.getProtocol()),
                            plain);
        }
        connector.setHost(s.host());
        connector.setPort(s.httpPort());
        // The read timeout. A call waiting for the job is exempt (see withBody): its deadline
        // bounds it.
        connector.setIdleTimeout(sec.readTimeoutMs());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(sec.maxConnections(), connector));
        server.setHandler(new HttpGuard(guard, new Routes()));
    }

    public void start() throws Exception {
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            switch (path) {
                case "/v1/recommendations" -> {
                    if (!method.equals("POST")) {
                        return methodNotAllowed(response, callback, "POST");
                    }
                    withBody(
                            request,
                            response,
                            callback,
                            gateway.settings().maxRequestBytes(),
                            body -> gateway.recommend(body, 0, "http"));
                }
                case "/v1/events" -> {
                    if (!method.equals("POST")) {
                        return methodNotAllowed(response, callback, "POST");
                    }
                    withBody(
                            request,
                            response,
                            callback,
                            gateway.settings().maxEventsBytes(),
                            body ->
                                    gateway.publish(body, "http")
                                            .thenApply(
                                                    n ->
                                                            JsonCodec.write(
                                                                    JsonCodec.mapper()
                                                                            .createObjectNode()
                                                                            .put("accepted", n))));
                }
                case HttpGuard.HEALTH -> {
                    if (!method.equals("GET")) {
                        return methodNotAllowed(response, callback, "GET");
                    }
                    Gateway.Health h = gateway.health();
                    ObjectNode n =
                            JsonCodec.mapper()
                                    .createObjectNode()
                                    .put("ok", h.ok())
                                    .put("brokerReachable", h.brokerReachable())
                                    .put("replyConsumerAssigned", h.replyConsumerAssigned())
                                    .put("inFlight", h.inFlight());
                    send(response, callback, h.ok() ? 200 : 503, JSON, JsonCodec.write(n));
                }
                case HttpGuard.CONSOLE_PAGE, HttpGuard.CONSOLE_ALIAS, "/v1/console/live" ->
                        console(request, response, callback);
                case "/v1/strategies" -> strategies(request, response, callback);
                case "/metrics" -> {
                    if (!method.equals("GET")) {
                        return methodNotAllowed(response, callback, "GET");
                    }
                    send(
                            response,
                            callback,
                            200,
                            "text/plain; version=0.0.4; charset=utf-8",
                            gateway.metrics().render().getBytes(StandardCharsets.UTF_8));
                }
                default ->
                        error(
                                response,
                                callback,
                                404,
                                "not_found",
                                "no such endpoint: "
                                        + path
                                        + " (POST /v1/recommendations, POST /v1/events, GET /v1/health,"
                                        + " GET /metrics, GET /, GET /v1/console/live,"
                                        + " GET|POST /v1/strategies)");
            }
            return true;
        }
    }

    /** The console's page, and its live view over the last {@code ?seconds=N}. */
    private void console(Request request, Response response, Callback callback) {
        if (!request.getMethod().equals("GET")) {
            methodNotAllowed(response, callback, "GET");
        } else if (Request.getPathInContext(request).equals("/v1/console/live")) {
            int seconds = intParameter(request, "seconds", 120);
            send(response, callback, 200, JSON, gateway.console().live(seconds));
        } else {
            send(response, callback, 200, "text/html; charset=utf-8", ConsolePage.html());
        }
    }

    /** GET: what is published and served; POST: check a document and publish it. */
    private void strategies(Request request, Response response, Callback callback) {
        switch (request.getMethod()) {
            case "GET" -> send(response, callback, 200, JSON, gateway.console().strategies());
            case "POST" ->
                    withRawBody(
                            request,
                            response,
                            callback,
                            gateway.settings().maxRequestBytes(),
                            bytes -> gateway.console().publish(bytes));
            default -> methodNotAllowed(response, callback, "GET, POST");
        }
    }

    private static int intParameter(Request request, String name, int fallback) {
        String value = Request.extractQueryParameters(request).getValue(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private interface Call {
        CompletableFuture<byte[]> apply(JsonNode body);
    }

    private interface RawCall {
        CompletableFuture<byte[]> apply(byte[] body);
    }

    /**
     * Reads the body (refusing more than {@code max} bytes), parses it strictly, runs the call,
     * writes its answer.
     */
    private static void withBody(
            Request request, Response response, Callback callback, int max, Call call) {
        withRawBody(request, response, callback, max, bytes -> call.apply(parse(bytes)));
    }

    /** As {@link #withBody}, handing the call the body's bytes as they came. */
    private static void withRawBody(
            Request request, Response response, Callback callback, int max, RawCall call) {
        long declared = request.getLength();
        if (declared > max) {
            closeAfterAnswer(request, response);
            error(
                    response,
                    callback,
                    413,
                    GatewayException.Kind.TOO_LARGE.code,
                    "body of " + declared + " bytes exceeds " + max);
            return;
        }
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Content.Source.asByteArrayAsync(request, max, Promise.Invocable.toPromise(read));
        read.whenComplete(
                (bytes, readError) -> {
                    if (readError != null) {
                        if (causedBy(readError, TimeoutException.class)) {
                            error(
                                    response,
                                    callback,
                                    408,
                                    "request_timeout",
                                    "the body did not arrive within the read timeout");
                        } else {
                            error(
                                    response,
                                    callback,
                                    413,
                                    GatewayException.Kind.TOO_LARGE.code,
                                    "body exceeds " + max + " bytes or could not be read");
                        }
                        return;
                    }
                    // From here the connection is silent until the job answers, which may take
                    // longer than the read timeout; the call's own deadline ends the wait, so idle
                    // timeouts are ignored.
                    request.addIdleTimeoutListener(timeout -> false);
                    CompletableFuture<byte[]> result;
                    try {
                        result = call.apply(bytes);
                    } catch (GatewayException e) {
                        result = CompletableFuture.failedFuture(e);
                    }
                    result.whenComplete(
                            (answer, e) -> {
                                if (e == null) {
                                    send(response, callback, 200, JSON, answer);
                                } else {
                                    GatewayException g = GatewayException.of(e);
                                    error(response, callback, g);
                                }
                            });
                });
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new GatewayException(
                    GatewayException.Kind.INVALID, "body: empty, expected a JSON object");
        }
        try {
            JsonNode n = JsonCodec.mapper().readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new GatewayException(
                        GatewayException.Kind.INVALID, "body: empty, expected a JSON object");
            }
            return n;
        } catch (IOException e) {
            String m =
                    e instanceof JsonProcessingException j
                            ? j.getOriginalMessage()
                            : e.getMessage();
            throw new GatewayException(
                    GatewayException.Kind.INVALID,
                    "body: not valid JSON: " + (m.length() > 200 ? m.substring(0, 200) : m));
        }
    }

    private static boolean methodNotAllowed(Response response, Callback callback, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        error(
                response,
                callback,
                HttpStatus.METHOD_NOT_ALLOWED_405,
                "method_not_allowed",
                "use " + allowed);
        return true;
    }

    /**
     * For an answer given without reading the request's body: Jetty cannot reuse such a connection
     * and closes it, so say so in the answer; otherwise a client may send its next request on a
     * connection that is about to close. The body of a refused call is never read: that is the
     * point of refusing.
     */
    static void closeAfterAnswer(Request request, Response response) {
        if (request.getLength() != 0) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    /** The error's answer, with its {@code problems} listed one by one when it has several. */
    private static void error(Response response, Callback callback, GatewayException g) {
        ObjectNode n =
                JsonCodec.mapper()
                        .createObjectNode()
                        .put("error", g.kind().code)
                        .put("message", g.getMessage());
        if (!g.problems().isEmpty()) {
            n.set("problems", JsonCodec.mapper().valueToTree(g.problems()));
        }
        send(response, callback, g.kind().httpStatus, JSON, JsonCodec.write(n));
    }

    static void error(
            Response response, Callback callback, int status, String code, String message) {
        ObjectNode n =
                JsonCodec.mapper().createObjectNode().put("error", code).put("message", message);
        send(response, callback, status, JSON, JsonCodec.write(n));
    }

    private static void send(
            Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
