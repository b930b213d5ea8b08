package io.walkstream.io;

import io.walkstream.config.KafkaConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft, one combined broker + controller) in this JVM, on a random loopback
 * port, with its data in a temporary directory deleted on close. For the demo and the tests.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaClusterTestKit cluster;
    private final Map<String, String> clientProperties;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Map<String, String> clientProperties) {
        this.cluster = cluster;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /** A plaintext broker. */
    public static EmbeddedKafka start() throws Exception {
        return start(Map.of(), Map.of());
    }

    /**
     * A broker with extra settings (for example a SASL listener: {@code
     * listener.security.protocol.map}, {@code listener.name.external.plain.sasl.jaas.config}), and
     * the client properties that this class's own admin client needs to connect to it.
     */
    public static EmbeddedKafka start(
            Map<String, String> brokerSettings, Map<String, String> clientProperties)
            throws Exception {
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        // Without this the kit formats with an unreleased metadata version.
                        .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                        .build();
        KafkaClusterTestKit.Builder builder =
                new KafkaClusterTestKit.Builder(nodes)
                        // One broker: internal topics (offsets, transactions) cannot have more
                        // replicas.
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0");
        brokerSettings.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        PrintStream stdout = System.out;
        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        try {
            // format() prints its progress on stdout, where the demo keeps only its JSON summary.
            System.setOut(new PrintStream(formatLog, true, StandardCharsets.UTF_8));
            cluster.format();
            System.setOut(stdout);
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            System.setOut(stdout);
            LOG.error(
                    "starting the broker failed; storage format printed:\n{}",
                    formatLog.toString(StandardCharsets.UTF_8));
            cluster.close();
            throw e;
        }
        return new EmbeddedKafka(cluster, clientProperties);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** An admin client of this broker. */
    public Admin admin() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** Creates the topics (replication factor 1) and waits until they exist. */
    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            createTopics(admin, partitions, (short) 1, topics);
        }
    }

    /** Creates topics on the cluster of {@code kafka}, skipping those that already exist. */
    public static void createTopics(
            KafkaConfig kafka, int partitions, short replication, String... topics)
            throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            createTopics(admin, partitions, replication, topics);
        }
    }

    private static void createTopics(
            Admin admin, int partitions, short replication, String... topics) throws Exception {
        var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (String t : topics) {
            if (!existing.contains(t)) {
                missing.add(new NewTopic(t, partitions, replication).configs(Map.of()));
            }
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
