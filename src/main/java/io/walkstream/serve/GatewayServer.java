package io.walkstream.serve;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One gateway instance: the core, its HTTP server and (unless disabled) its gRPC server. */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final Gateway gateway;
    private final HttpGateway http;
    private final GrpcGateway grpc;

    private GatewayServer(Gateway gateway, HttpGateway http, GrpcGateway grpc) {
        this.gateway = gateway;
        this.http = http;
        this.grpc = grpc;
    }

    /** Starts reading answers first, then opens the ports: no call is accepted before its answer can be seen. */
    public static GatewayServer start(GatewaySettings settings, Duration startTimeout) throws Exception {
        Gateway gateway = new Gateway(settings);
        HttpGateway http = null;
        GrpcGateway grpc = null;
        try {
            gateway.start(startTimeout);
            http = new HttpGateway(gateway);
            http.start();
            if (settings.grpcPort() >= 0) {
                grpc = new GrpcGateway(gateway);
                grpc.start();
            }
        } catch (Exception e) {
            if (grpc != null) grpc.close();
            if (http != null) http.close();
            gateway.close();
            throw e;
        }
        GatewayServer s = new GatewayServer(gateway, http, grpc);
        LOG.info("gateway listening: HTTP {}:{}, gRPC {}", settings.host(), s.httpPort(), grpc == null ? "off" : s.grpcPort());
        return s;
    }

    public Gateway gateway() {
        return gateway;
    }

    public int httpPort() {
        return http.port();
    }

    /** -1 when gRPC is disabled. */
    public int grpcPort() {
        return grpc == null ? -1 : grpc.port();
    }

    @Override
    public void close() throws Exception {
        if (grpc != null) grpc.close();
        http.close();
        gateway.close();
    }
}
