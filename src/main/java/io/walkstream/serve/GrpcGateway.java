package io.walkstream.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.walkstream.io.JsonCodec;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.serve.grpc.HealthRequest;
import io.walkstream.serve.grpc.HealthResponse;
import io.walkstream.serve.grpc.Interaction;
import io.walkstream.serve.grpc.ItemMetadata;
import io.walkstream.serve.grpc.PublishEventsRequest;
import io.walkstream.serve.grpc.PublishEventsResponse;
import io.walkstream.serve.grpc.RecommendRequest;
import io.walkstream.serve.grpc.RecommendResponse;
import io.walkstream.serve.grpc.RecommenderGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC face of the {@link Gateway} (service {@code walkstream.v1.Recommender}, see {@code
 * src/main/proto/walkstream/v1/gateway.proto}). Messages are mapped to the same JSON the HTTP API
 * takes, so both go through one validation path. A small fixed executor runs the handlers: they
 * only validate and hand off to Kafka, the waiting happens in futures.
 *
 * <p>Protection ({@link GatewaySecurity}): TLS when a {@link ServerTls} is given; every call but
 * {@code Health} passes the {@link GrpcGuard}; metadata is capped like HTTP headers and messages
 * like event bodies. The TLS and HTTP/2 handshake must finish within the read timeout. A stream
 * that stops mid-message holds no thread (handlers run only on a complete message) and at most one
 * flow-control window of memory; keep-alive pings find dead peers, and connections are recycled
 * after {@link #MAX_CONNECTION_AGE_MINUTES} minutes, which also ends streams a live but stalled
 * client holds open.
 */
public final class GrpcGateway implements AutoCloseable {
    static final long MAX_CONNECTION_AGE_MINUTES = 30;

    private final Server server;
    private final ExecutorService executor =
            Executors.newFixedThreadPool(
                    4,
                    r -> {
                        Thread t = new Thread(r, "walkstream-gateway-grpc");
                        t.setDaemon(true);
                        return t;
                    });

    GrpcGateway(Gateway gateway, CallGuard guard) {
        GatewaySettings s = gateway.settings();
        GatewaySecurity sec = s.security();
        ServerCredentials credentials =
                sec.tls() == null
                        ? InsecureServerCredentials.create()
                        : TlsServerCredentials.newBuilder()
                                .keyManager(sec.tls().keyManagers())
                                .build();
        server =
                NettyServerBuilder.forAddress(
                                new InetSocketAddress(s.host(), s.grpcPort()), credentials)
                        .executor(executor)
                        .maxInboundMessageSize(s.maxEventsBytes())
                        .maxInboundMetadataSize(sec.maxHeaderBytes())
                        .handshakeTimeout(sec.readTimeoutMs(), TimeUnit.MILLISECONDS)
                        .keepAliveTime(60, TimeUnit.SECONDS)
                        .keepAliveTimeout(20, TimeUnit.SECONDS)
                        .maxConnectionAge(MAX_CONNECTION_AGE_MINUTES, TimeUnit.MINUTES)
                        // Calls already running when a connection is recycled get their full
                        // deadline to finish.
                        .maxConnectionAgeGrace(s.maxDeadlineMs(), TimeUnit.MILLISECONDS)
                        .addService(
                                ServerInterceptors.intercept(
                                        new Service(gateway), new GrpcGuard(guard)))
                        .build();
    }

    public void start() throws IOException {
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    private static final class Service extends RecommenderGrpc.RecommenderImplBase {
        private final Gateway gateway;

        Service(Gateway gateway) {
            this.gateway = gateway;
        }

        @Override
        public void recommend(RecommendRequest req, StreamObserver<RecommendResponse> out) {
            Deadline d = Context.current().getDeadline();
            long transportMs = d == null ? 0 : Math.max(1, d.timeRemaining(TimeUnit.MILLISECONDS));
            gateway.recommend(json(req), transportMs, "grpc")
                    .whenComplete(
                            (answer, e) -> {
                                if (e != null) {
                                    out.onError(status(e));
                                    return;
                                }
                                try {
                                    out.onNext(proto(JsonCodec.readRecommendation(answer)));
                                    out.onCompleted();
                                } catch (IOException ex) {
                                    out.onError(
                                            Status.INTERNAL
                                                    .withDescription(
                                                            "unreadable answer from the job: "
                                                                    + ex.getMessage())
                                                    .asRuntimeException());
                                }
                            });
        }

        @Override
        public void publishEvents(
                PublishEventsRequest req, StreamObserver<PublishEventsResponse> out) {
            ObjectNode batch = JsonCodec.mapper().createObjectNode();
            ArrayNode interactions = batch.putArray("interactions");
            req.getInteractionsList().forEach(i -> interactions.add(json(i)));
            ArrayNode items = batch.putArray("items");
            req.getItemsList().forEach(i -> items.add(json(i)));
            ArrayNode feedback = batch.putArray("feedback");
            req.getFeedbackList().forEach(i -> feedback.add(json(i)));
            gateway.publish(batch, "grpc")
                    .whenComplete(
                            (n, e) -> {
                                if (e != null) {
                                    out.onError(status(e));
                                } else {
                                    out.onNext(
                                            PublishEventsResponse.newBuilder()
                                                    .setAccepted(n)
                                                    .build());
                                    out.onCompleted();
                                }
                            });
        }

        @Override
        public void health(HealthRequest req, StreamObserver<HealthResponse> out) {
            Gateway.Health h = gateway.health();
            out.onNext(
                    HealthResponse.newBuilder()
                            .setOk(h.ok())
                            .setBrokerReachable(h.brokerReachable())
                            .setReplyConsumerAssigned(h.replyConsumerAssigned())
                            .setInFlight(h.inFlight())
                            .build());
            out.onCompleted();
        }
    }

    /**
     * proto3 has no "absent": zero values and empty strings are left out, so the job's defaults
     * apply.
     */
    static ObjectNode json(RecommendRequest r) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        if (!r.getUser().isEmpty()) {
            n.put("user", r.getUser());
        }
        if (!r.getItem().isEmpty()) {
            n.put("item", r.getItem());
        }
        if (r.getK() != 0) {
            n.put("k", r.getK());
        }
        if (!r.getChannel().isEmpty()) {
            n.put("channel", r.getChannel());
        }
        strings(n, "exclude", r.getExcludeList());
        strings(n, "candidates", r.getCandidatesList());
        if (r.getTimeoutMs() != 0) {
            n.put("timeoutMs", r.getTimeoutMs());
        }
        if (r.getWalkers() != 0) {
            n.put("walkers", r.getWalkers());
        }
        if (r.getTs() != 0) {
            n.put("ts", r.getTs());
        }
        return n;
    }

    static ObjectNode json(Interaction i) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        if (!i.getUser().isEmpty()) {
            n.put("user", i.getUser());
        }
        if (!i.getItem().isEmpty()) {
            n.put("item", i.getItem());
        }
        if (!i.getAction().isEmpty()) {
            n.put("action", i.getAction());
        }
        if (i.getTs() != 0) {
            n.put("ts", i.getTs());
        }
        if (i.getWeight() != 0) {
            n.put("weight", i.getWeight());
        }
        if (!i.getFollowee().isEmpty()) {
            n.put("followee", i.getFollowee());
        }
        return n;
    }

    static ObjectNode json(ItemMetadata m) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        if (!m.getItem().isEmpty()) {
            n.put("item", m.getItem());
        }
        if (!m.getCategory().isEmpty()) {
            n.put("category", m.getCategory());
        }
        if (!m.getBrand().isEmpty()) {
            n.put("brand", m.getBrand());
        }
        strings(n, "tags", m.getTagsList());
        if (m.getEmbeddingCount() > 0) {
            ArrayNode a = n.putArray("embedding");
            m.getEmbeddingList().forEach(a::add);
        }
        if (m.getTs() != 0) {
            n.put("ts", m.getTs());
        }
        return n;
    }

    private static void strings(ObjectNode n, String field, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        ArrayNode a = n.putArray(field);
        values.forEach(a::add);
    }

    static RecommendResponse proto(Recommendation r) {
        RecommendResponse.Builder b =
                RecommendResponse.newBuilder()
                        .setRequestId(r.requestId)
                        .setPartial(r.partial)
                        .setTimedOut(r.timedOut)
                        .setLatencyMs(r.latencyMs)
                        .setWalkers(r.walkers)
                        .setArrived(r.arrived)
                        .setAbsorbed(r.absorbed);
        if (r.user != null) {
            b.setUser(r.user);
        }
        if (r.item != null) {
            b.setItem(r.item);
        }
        if (r.channel != null) {
            b.setChannel(r.channel);
        }
        if (r.items != null) {
            for (RecommendedItem it : r.items) {
                var ib =
                        io.walkstream.serve.grpc.RecommendedItem.newBuilder()
                                .setItem(it.item)
                                .setScore(it.score)
                                .setVisits(it.visits)
                                .setSimilarity(it.similarity)
                                .setContexts(it.contexts);
                if (it.via != null) {
                    ib.addAllVia(List.of(it.via));
                }
                if (it.reasons != null) {
                    ib.addAllReasons(List.of(it.reasons));
                }
                b.addItems(ib);
            }
        }
        return b.build();
    }

    private static StatusRuntimeException status(Throwable e) {
        GatewayException g = GatewayException.of(e);
        Status s =
                switch (g.kind()) {
                    case INVALID, TOO_LARGE -> Status.INVALID_ARGUMENT;
                    case OVERLOADED -> Status.RESOURCE_EXHAUSTED;
                    case DEADLINE -> Status.DEADLINE_EXCEEDED;
                    case UNAVAILABLE -> Status.UNAVAILABLE;
                };
        return s.withDescription(g.getMessage()).asRuntimeException();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(3, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
        executor.shutdownNow();
    }
}
