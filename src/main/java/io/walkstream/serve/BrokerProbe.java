package io.walkstream.serve;

import io.walkstream.config.KafkaConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Is the broker reachable? Asks for the cluster's nodes, at most once a second (health checks can
 * be frequent).
 */
final class BrokerProbe implements AutoCloseable {
    private static final long CACHE_MS = 1_000;

    private final Admin admin;
    private volatile long checkedAt;
    private volatile boolean reachable;

    BrokerProbe(KafkaConfig kafka) {
        this.admin =
                Admin.create(
                        kafka.clientProperties(
                                Map.of(
                                        AdminClientConfig.CLIENT_ID_CONFIG,
                                        "walkstream-gateway-health")));
    }

    synchronized boolean reachable() {
        long now = System.currentTimeMillis();
        if (now - checkedAt < CACHE_MS) {
            return reachable;
        }
        try {
            reachable =
                    !admin.describeCluster(new DescribeClusterOptions().timeoutMs(1_000))
                            .nodes()
                            .get(1_500, TimeUnit.MILLISECONDS)
                            .isEmpty();
        } catch (Exception e) {
            reachable = false;
        }
        checkedAt = System.currentTimeMillis();
        return reachable;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
