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

    /**
     * Starts reading answers first, then opens the ports: no call is accepted before its answer can
     * be seen.
     */
    public static GatewayServer start(GatewaySettings settings, Duration startTimeout)
            throws Exception {
        Gateway gateway = new Gateway(settings);
        HttpGateway http = null;
        GrpcGateway grpc = null;
        try {
            gateway.start(startTimeout);
            CallGuard guard = new CallGuard(settings.security(), gateway.metrics());
            http = new HttpGateway(gateway, guard);
            http.start();
            if (settings.grpcPort() >= 0) {
                grpc = new GrpcGateway(gateway, guard);
                grpc.start();
            }
        } catch (Exception e) {
            if (grpc != null) {
                grpc.close();
            }
            if (http != null) {
                http.close();
            }
            gateway.close();
            throw e;
        }
        GatewayServer s = new GatewayServer(gateway, http, grpc);
        GatewaySecurity sec = settings.security();
        LOG.info(
                "gateway listening: {} {}:{}, gRPC {}{}; {} API keys, rate limit {}",
                sec.tls() == null ? "HTTP" : "HTTPS",
                settings.host(),
                s.httpPort(),
                grpc == null ? "off" : s.grpcPort(),
                sec.tls() == null ? "" : " (TLS)",
                sec.apiKeys().size(),
                sec.rateLimit().enabled()
                        ? sec.rateLimit().perSecond()
                                + "/s per client, burst "
                                + sec.rateLimit().burst()
                        : "off");
        warnIfExposed(sec);
        return s;
    }

    /** Once at start, so an open or cleartext gateway is a deliberate choice, not an oversight. */
    private static void warnIfExposed(GatewaySecurity sec) {
        if (sec.apiKeys().isEmpty()) {
            LOG.warn(
                    "no API keys configured: the gateway answers every caller (--api-keys-file, or the WALKSTREAM_API_KEYS"
                            + " environment variable, turns authentication on)");
        } else if (sec.tls() == null) {
            LOG.warn(
                    "API keys are checked but travel in clear text: serve over TLS (--tls-keystore or --tls-cert/--tls-key)"
                            + " unless a TLS-terminating proxy is in front");
        }
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
        if (grpc != null) {
            grpc.close();
        }
        http.close();
        gateway.close();
    }
}
