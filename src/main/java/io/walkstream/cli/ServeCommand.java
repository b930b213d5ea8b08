package io.walkstream.cli;

import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.serve.GatewayServer;
import io.walkstream.serve.GatewaySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/walkstream serve}: one stateless gateway instance (HTTP/JSON and gRPC) in front of the
 * Kafka job.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Run the synchronous gateway: HTTP/JSON and gRPC calls answered through the job's Kafka topics.")
public class ServeCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Job configuration (YAML or JSON): its kafka section names broker and topics.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "SECTION.FIELD=VALUE",
            description =
                    "Override one field, e.g. --set kafka.bootstrapServers=broker:9092 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--http-port", description = "HTTP port (default ${DEFAULT-VALUE}).")
    int httpPort = 8080;

    @Option(
            names = "--grpc-port",
            description = "gRPC port; -1 disables gRPC (default ${DEFAULT-VALUE}).")
    int grpcPort = 9090;

    @Option(
            names = "--default-deadline-ms",
            description = "Deadline of a call that names none (default ${DEFAULT-VALUE}).")
    long defaultDeadlineMs = GatewaySettings.DEFAULT_DEADLINE_MS;

    @Option(
            names = "--max-deadline-ms",
            description = "Largest deadline a caller may ask for (default ${DEFAULT-VALUE}).")
    long maxDeadlineMs = GatewaySettings.MAX_DEADLINE_MS;

    @Option(
            names = "--max-in-flight",
            description =
                    "Calls waiting for an answer; more get 429 / RESOURCE_EXHAUSTED (default ${DEFAULT-VALUE}).")
    int maxInFlight = GatewaySettings.MAX_IN_FLIGHT;

    @Option(
            names = "--max-body-bytes",
            description = "Largest recommendation request body (default ${DEFAULT-VALUE}).")
    int maxRequestBytes = GatewaySettings.MAX_REQUEST_BYTES;

    @Option(
            names = "--max-events-bytes",
            description = "Largest event batch body (default ${DEFAULT-VALUE}).")
    int maxEventsBytes = GatewaySettings.MAX_EVENTS_BYTES;

    @Option(
            names = "--max-batch-events",
            description = "Most events in one batch (default ${DEFAULT-VALUE}).")
    int maxBatchEvents = GatewaySettings.MAX_BATCH_EVENTS;

    @Mixin GatewaySecurityOptions security = new GatewaySecurityOptions();

    @Override
    public Integer call() throws Exception {
        JobConfig cfg =
                config == null
                        ? ConfigLoader.parse("", overrides)
                        : ConfigLoader.load(config, overrides);
        GatewaySettings settings =
                GatewaySettings.from(cfg, host, httpPort, grpcPort)
                        .withLimits(
                                defaultDeadlineMs,
                                maxDeadlineMs,
                                maxInFlight,
                                maxRequestBytes,
                                maxEventsBytes,
                                maxBatchEvents)
                        .withSecurity(security.build(System.getenv()));
        System.err.printf(
                "walkstream gateway: Kafka %s, requests → %s, answers ← %s …%n",
                settings.kafka().bootstrapServers,
                settings.kafka().requestsTopic,
                settings.kafka().recommendationsTopic);
        CountDownLatch stopped = new CountDownLatch(1);
        try (GatewayServer server = GatewayServer.start(settings, Duration.ofSeconds(60))) {
            boolean tls = settings.security().tls() != null;
            System.err.printf(
                    "walkstream gateway: HTTP %s://%s:%d, gRPC %s%s, %d API keys — Ctrl-C stops%n",
                    tls ? "https" : "http",
                    host,
                    server.httpPort(),
                    server.grpcPort() < 0 ? "off" : host + ":" + server.grpcPort(),
                    tls ? " (TLS)" : "",
                    settings.security().apiKeys().size());
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(stopped::countDown, "walkstream-gateway-stop"));
            stopped.await();
        }
        return 0;
    }
}
