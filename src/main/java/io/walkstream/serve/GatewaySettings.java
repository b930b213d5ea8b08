package io.walkstream.serve;

import io.walkstream.config.JobConfig;
import io.walkstream.config.KafkaConfig;

/**
 * What one gateway instance needs: where Kafka is, how to connect and the topics (the job
 * configuration's {@code kafka} section, so gateway and job cannot disagree), ports and limits.
 *
 * @param kafka broker, client properties (security) and topics
 * @param host address the HTTP and gRPC servers bind to
 * @param httpPort 0 picks a free port
 * @param grpcPort 0 picks a free port; -1 disables gRPC
 * @param maxK the job's {@code rank.maxK}, checked before a request reaches Kafka
 * @param defaultDeadlineMs a call's deadline when the caller gives none
 * @param maxDeadlineMs the largest deadline a caller may ask for
 * @param maxInFlight recommendation calls waiting for their answer; beyond it calls get 429
 * @param maxRequestBytes largest body of a recommendation call
 * @param maxEventsBytes largest body of an event batch
 * @param maxBatchEvents most events in one batch
 * @param security keys, TLS, rate limit, header size and read timeout
 * @param job the job's configuration, which strategy documents published through the console are
 *     checked against (the same checks the job makes)
 */
public record GatewaySettings(
        KafkaConfig kafka,
        String host,
        int httpPort,
        int grpcPort,
        int maxK,
        long defaultDeadlineMs,
        long maxDeadlineMs,
        int maxInFlight,
        int maxRequestBytes,
        int maxEventsBytes,
        int maxBatchEvents,
        GatewaySecurity security,
        JobConfig job) {
    public static final long DEFAULT_DEADLINE_MS = 1_000;
    public static final long MAX_DEADLINE_MS = 30_000;
    public static final int MAX_IN_FLIGHT = 1_000;
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    public static final int MAX_EVENTS_BYTES = 1024 * 1024;
    public static final int MAX_BATCH_EVENTS = 1_000;

    public GatewaySettings {
        if (defaultDeadlineMs < 1 || defaultDeadlineMs > maxDeadlineMs) {
            throw new IllegalArgumentException(
                    "default deadline must be in [1, "
                            + maxDeadlineMs
                            + "] ms, got "
                            + defaultDeadlineMs);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in-flight must be >= 1, got " + maxInFlight);
        }
        if (maxRequestBytes < 1 || maxEventsBytes < 1 || maxBatchEvents < 1) {
            throw new IllegalArgumentException("size limits must be >= 1");
        }
        if (security == null) {
            throw new IllegalArgumentException(
                    "security is required (GatewaySecurity.OPEN for none)");
        }
    }

    /**
     * Kafka section and maxK from the job configuration; defaults for everything else (no keys, no
     * TLS, no rate limit).
     */
    public static GatewaySettings from(JobConfig cfg, String host, int httpPort, int grpcPort) {
        return new GatewaySettings(
                cfg.kafka,
                host,
                httpPort,
                grpcPort,
                cfg.rank.maxK,
                DEFAULT_DEADLINE_MS,
                MAX_DEADLINE_MS,
                MAX_IN_FLIGHT,
                MAX_REQUEST_BYTES,
                MAX_EVENTS_BYTES,
                MAX_BATCH_EVENTS,
                GatewaySecurity.OPEN,
                cfg);
    }

    public GatewaySettings withLimits(
            long defaultDeadlineMs,
            long maxDeadlineMs,
            int maxInFlight,
            int maxRequestBytes,
            int maxEventsBytes,
            int maxBatchEvents) {
        return new GatewaySettings(
                kafka,
                host,
                httpPort,
                grpcPort,
                maxK,
                defaultDeadlineMs,
                maxDeadlineMs,
                maxInFlight,
                maxRequestBytes,
                maxEventsBytes,
                maxBatchEvents,
                security,
                job);
    }

    public GatewaySettings withSecurity(GatewaySecurity newSecurity) {
        return new GatewaySettings(
                kafka,
                host,
                httpPort,
                grpcPort,
                maxK,
                defaultDeadlineMs,
                maxDeadlineMs,
                maxInFlight,
                maxRequestBytes,
                maxEventsBytes,
                maxBatchEvents,
                newSecurity,
                job);
    }
}
