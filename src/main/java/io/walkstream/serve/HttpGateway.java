package io.walkstream.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.io.JsonCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
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
 * </pre>
 * Errors are {@code {"error":"<code>","message":"<what is wrong>"}} with status 400, 404, 405, 413, 429, 503 or 504.
 */
public final class HttpGateway implements AutoCloseable {
    private static final String JSON = "application/json";

    private final Gateway gateway;
    private final Server server;
    private final ServerConnector connector;

    public HttpGateway(Gateway gateway) {
        this.gateway = gateway;
        GatewaySettings s = gateway.settings();
        QueuedThreadPool pool = new QueuedThreadPool(32, 4, 60_000, new BlockingArrayQueue<>(1024));
        pool.setName("walkstream-gateway-http");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(8 * 1024);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(s.host());
        connector.setPort(s.httpPort());
        connector.setIdleTimeout(s.maxDeadlineMs() + 30_000);
        server.addConnector(connector);
        server.setHandler(new Routes());
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
                    if (!method.equals("POST")) return methodNotAllowed(response, callback, "POST");
                    withBody(request, response, callback, gateway.settings().maxRequestBytes(),
                            body -> gateway.recommend(body, 0, "http"));
                }
                case "/v1/events" -> {
                    if (!method.equals("POST")) return methodNotAllowed(response, callback, "POST");
                    withBody(request, response, callback, gateway.settings().maxEventsBytes(),
                            body -> gateway.publish(body, "http").thenApply(n -> JsonCodec.write(
                                    JsonCodec.mapper().createObjectNode().put("accepted", n))));
                }
                case "/v1/health" -> {
                    if (!method.equals("GET")) return methodNotAllowed(response, callback, "GET");
                    Gateway.Health h = gateway.health();
                    ObjectNode n = JsonCodec.mapper().createObjectNode().put("ok", h.ok())
                            .put("brokerReachable", h.brokerReachable()).put("replyConsumerAssigned", h.replyConsumerAssigned())
                            .put("inFlight", h.inFlight());
                    send(response, callback, h.ok() ? 200 : 503, JSON, JsonCodec.write(n));
                }
                case "/metrics" -> {
                    if (!method.equals("GET")) return methodNotAllowed(response, callback, "GET");
                    send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                            gateway.metrics().render().getBytes(StandardCharsets.UTF_8));
                }
                default -> error(response, callback, 404, "not_found",
                        "no such endpoint: " + path + " (POST /v1/recommendations, POST /v1/events, GET /v1/health, GET /metrics)");
            }
            return true;
        }
    }

    private interface Call {
        CompletableFuture<byte[]> apply(JsonNode body);
    }

    /** Reads the body (refusing more than {@code max} bytes), parses it strictly, runs the call, writes its answer. */
    private static void withBody(Request request, Response response, Callback callback, int max, Call call) {
        long declared = request.getLength();
        if (declared > max) {
            error(response, callback, 413, GatewayException.Kind.TOO_LARGE.code, "body of " + declared + " bytes exceeds " + max);
            return;
        }
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Content.Source.asByteArrayAsync(request, max, Promise.Invocable.toPromise(read));
        read.whenComplete((bytes, readError) -> {
            if (readError != null) {
                error(response, callback, 413, GatewayException.Kind.TOO_LARGE.code, "body exceeds " + max + " bytes or could not be read");
                return;
            }
            CompletableFuture<byte[]> result;
            try {
                result = call.apply(parse(bytes));
            } catch (GatewayException e) {
                result = CompletableFuture.failedFuture(e);
            }
            result.whenComplete((answer, e) -> {
                if (e == null) {
                    send(response, callback, 200, JSON, answer);
                } else {
                    GatewayException g = GatewayException.of(e);
                    error(response, callback, g.kind().httpStatus, g.kind().code, g.getMessage());
                }
            });
        });
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new GatewayException(GatewayException.Kind.INVALID, "body: empty, expected a JSON object");
        try {
            JsonNode n = JsonCodec.mapper().readTree(bytes);
            if (n == null || n.isMissingNode()) throw new GatewayException(GatewayException.Kind.INVALID, "body: empty, expected a JSON object");
            return n;
        } catch (IOException e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new GatewayException(GatewayException.Kind.INVALID, "body: not valid JSON: " + (m.length() > 200 ? m.substring(0, 200) : m));
        }
    }

    private static boolean methodNotAllowed(Response response, Callback callback, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method_not_allowed", "use " + allowed);
        return true;
    }

    private static void error(Response response, Callback callback, int status, String code, String message) {
        ObjectNode n = JsonCodec.mapper().createObjectNode().put("error", code).put("message", message);
        send(response, callback, status, JSON, JsonCodec.write(n));
    }

    private static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
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
