package io.walkstream.serve;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.walkstream.serve.grpc.RecommenderGrpc;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The gRPC side of the {@link CallGuard}: the key comes from the {@code authorization} metadata
 * ({@code Bearer <key>}, as on HTTP). A refused call is closed before its handler starts, with
 * UNAUTHENTICATED, or RESOURCE_EXHAUSTED and a {@code grpc-retry-pushback-ms} trailer (which a
 * client's retry policy honours). {@code Health} stays open, like {@code GET /v1/health}.
 */
final class GrpcGuard implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RETRY_PUSHBACK_MS =
            Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    private final CallGuard guard;

    GrpcGuard(CallGuard guard) {
        this.guard = guard;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (call.getMethodDescriptor()
                .getFullMethodName()
                .equals(RecommenderGrpc.getHealthMethod().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        CallGuard.Verdict v =
                guard.admit(
                        "grpc",
                        headers.get(AUTHORIZATION),
                        address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
        if (v instanceof CallGuard.Admitted) {
            return next.startCall(call, headers);
        }
        Metadata trailers = new Metadata();
        if (v instanceof CallGuard.Limited l) {
            trailers.put(
                    RETRY_PUSHBACK_MS, Long.toString(Math.max(1, l.retryAfterNanos() / 1_000_000)));
            call.close(
                    Status.RESOURCE_EXHAUSTED.withDescription(
                            "client "
                                    + l.client()
                                    + " is over its rate limit; retry after "
                                    + l.retryAfterSeconds()
                                    + " s"),
                    trailers);
        } else {
            call.close(
                    Status.UNAUTHENTICATED.withDescription(CallGuard.UNAUTHENTICATED_MESSAGE),
                    trailers);
        }
        return new ServerCall.Listener<>() {};
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress();
        }
        return a == null ? null : a.toString();
    }
}
