package io.walkstream.serve;

/**
 * How a gateway protects itself from its callers: who may call ({@link ApiKeys}), over what ({@link
 * ServerTls}, or plain text when null), how often ({@link RateLimit}), and the connection limits
 * that keep a slow or hostile client from holding the server's resources.
 *
 * @param apiKeys accepted keys; empty means every caller is let in
 * @param tls the server's certificate and key for HTTPS and gRPC over TLS; null for plain text
 * @param rateLimit calls per second and burst per client
 * @param maxHeaderBytes largest request line plus headers (HTTP, 431 beyond) and gRPC metadata
 * @param readTimeoutMs longest silence while a request is being read (headers, body, TLS handshake)
 *     before the connection is closed; also how long an idle keep-alive connection stays
 * @param maxConnections open HTTP connections at most; beyond it new ones wait in the accept
 *     backlog
 */
public record GatewaySecurity(
        ApiKeys apiKeys,
        ServerTls tls,
        RateLimit rateLimit,
        int maxHeaderBytes,
        long readTimeoutMs,
        int maxConnections) {
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    public static final long READ_TIMEOUT_MS = 10_000;
    public static final int MAX_CONNECTIONS = 4_096;

    /** Today's behaviour: no keys, no TLS, no rate limit; the size and time limits still apply. */
    public static final GatewaySecurity OPEN =
            new GatewaySecurity(
                    ApiKeys.NONE,
                    null,
                    RateLimit.OFF,
                    MAX_HEADER_BYTES,
                    READ_TIMEOUT_MS,
                    MAX_CONNECTIONS);

    public GatewaySecurity {
        if (apiKeys == null || rateLimit == null) {
            throw new IllegalArgumentException("apiKeys and rateLimit are required");
        }
        // Below about 1 KiB ordinary clients' headers (user agent, tracing, the key itself) no
        // longer fit.
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException(
                    "max header bytes must be >= 1024, got " + maxHeaderBytes);
        }
        if (readTimeoutMs < 1) {
            throw new IllegalArgumentException(
                    "read timeout must be >= 1 ms, got " + readTimeoutMs);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(
                    "max connections must be >= 1, got " + maxConnections);
        }
    }

    public GatewaySecurity withApiKeys(ApiKeys keys) {
        return new GatewaySecurity(
                keys, tls, rateLimit, maxHeaderBytes, readTimeoutMs, maxConnections);
    }

    public GatewaySecurity withTls(ServerTls serverTls) {
        return new GatewaySecurity(
                apiKeys, serverTls, rateLimit, maxHeaderBytes, readTimeoutMs, maxConnections);
    }

    public GatewaySecurity withRateLimit(RateLimit limit) {
        return new GatewaySecurity(
                apiKeys, tls, limit, maxHeaderBytes, readTimeoutMs, maxConnections);
    }

    public GatewaySecurity withConnectionLimits(
            int headerBytes, long readTimeout, int connections) {
        return new GatewaySecurity(apiKeys, tls, rateLimit, headerBytes, readTimeout, connections);
    }

    /**
     * Per-client token buckets: {@code perSecond} calls a second on average, up to {@code burst} at
     * once. {@code perSecond} 0 turns limiting off. At most {@code maxClients} buckets are kept.
     */
    public record RateLimit(double perSecond, int burst, int maxClients) {
        public static final int MAX_CLIENTS = 10_000;
        public static final RateLimit OFF = new RateLimit(0, 1, MAX_CLIENTS);

        public RateLimit {
            if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("rate must be >= 0, got " + perSecond);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be >= 1, got " + burst);
            }
            if (maxClients < 1) {
                throw new IllegalArgumentException("max clients must be >= 1, got " + maxClients);
            }
        }

        public boolean enabled() {
            return perSecond > 0;
        }
    }
}
