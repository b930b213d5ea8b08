package io.walkstream.serve;

/**
 * Admission of one call, shared by HTTP and gRPC so that both faces apply the same keys and the
 * same buckets (a client's HTTP and gRPC calls draw on one budget). First the caller is
 * authenticated, then its client's bucket is charged; refusals are counted in the metrics. Nothing
 * here logs: a flood of bad calls must not become a flood of log lines.
 */
final class CallGuard {
    /** The outcome: let in as {@code client}, or refused. */
    sealed interface Verdict permits Admitted, Unauthenticated, Limited {}

    record Admitted(String client) implements Verdict {}

    record Unauthenticated() implements Verdict {}

    record Limited(String client, long retryAfterNanos) implements Verdict {
        /** Whole seconds, for {@code Retry-After}: rounded up, at least 1. */
        long retryAfterSeconds() {
            return RateLimiter.wholeSeconds(retryAfterNanos);
        }
    }

    /**
     * The one message an unauthenticated caller gets, whatever was wrong: missing, malformed or
     * unknown key.
     */
    static final String UNAUTHENTICATED_MESSAGE =
            "a valid API key is required: Authorization: Bearer <key>";

    private final ApiKeys keys;
    private final RateLimiter limiter; // null when rate limiting is off
    private final GatewayMetrics metrics;

    CallGuard(GatewaySecurity security, GatewayMetrics metrics) {
        this.keys = security.apiKeys();
        this.limiter =
                security.rateLimit().enabled()
                        ? new RateLimiter(security.rateLimit(), System::nanoTime)
                        : null;
        this.metrics = metrics;
        if (limiter != null) {
            metrics.rateLimitClients(limiter::clients, security.rateLimit().maxClients());
        }
    }

    /**
     * @param api http or grpc, for the metrics
     * @param authorization the {@code Authorization} header or metadata value, or null
     * @param remoteAddress the peer's IP address: the client's identity when no keys are configured
     */
    Verdict admit(String api, String authorization, String remoteAddress) {
        String client;
        if (keys.isEmpty()) {
            client = remoteAddress == null ? "unknown" : remoteAddress;
        } else {
            client = keys.authenticate(authorization);
            if (client == null) {
                metrics.unauthenticated(api);
                return new Unauthenticated();
            }
        }
        if (limiter == null) {
            return new Admitted(client);
        }
        RateLimiter.Decision d = limiter.acquire(client);
        if (d.admitted()) {
            return new Admitted(client);
        }
        metrics.rateLimited(api, client);
        return new Limited(client, d.retryAfterNanos());
    }
}
