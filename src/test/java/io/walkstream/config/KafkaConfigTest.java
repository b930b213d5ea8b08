package io.walkstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkstream.io.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConfigTest {
    @Test
    void defaultsAreAtLeastOnceWithTheStandardTopics() throws Exception {
        KafkaConfig k = ConfigLoader.parse("", Map.of()).kafka;
        assertThat(k.delivery).isEqualTo(KafkaConfig.Delivery.AT_LEAST_ONCE);
        assertThat(k.interactionsTopic).isEqualTo("interactions");
        assertThat(k.deadLettersTopic).isEqualTo("dead-letters");
    }

    @Test
    void commandLineOverridesSwitchToExactlyOnce() throws Exception {
        JobConfig cfg =
                ConfigLoader.parse(
                        "kafka:\n  bootstrapServers: a:9092\n",
                        Map.of(
                                "kafka.delivery",
                                "exactly-once",
                                "kafka.startOffsets",
                                "latest",
                                "walk.walkers",
                                "300"));
        assertThat(cfg.kafka.delivery).isEqualTo(KafkaConfig.Delivery.EXACTLY_ONCE);
        assertThat(cfg.kafka.startOffsets).isEqualTo(KafkaConfig.StartOffsets.LATEST);
        assertThat(cfg.kafka.bootstrapServers).isEqualTo("a:9092");
        assertThat(cfg.walk.walkers).isEqualTo(300);
    }

    @Test
    void exactlyOnceWithoutCheckpointsIsRejectedWithEveryProblemListed() {
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "kafka.delivery",
                                                "exactly-once",
                                                "job.checkpointIntervalMs",
                                                "0",
                                                "kafka.groupId",
                                                "",
                                                "kafka.bogus",
                                                "1")))
                .hasMessageContaining("bogus");
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "kafka.delivery",
                                                "exactly-once",
                                                "job.checkpointIntervalMs",
                                                "0",
                                                "kafka.groupId",
                                                "")))
                .hasMessageContaining("set job.checkpointIntervalMs > 0")
                .hasMessageContaining("kafka.groupId must not be empty");
    }

    @Test
    void shippedJobConfigsLoad() throws Exception {
        for (String f : new String[] {"local.yaml", "cluster.yaml"}) {
            JobConfig cfg = ConfigLoader.load(Path.of("job-configs", f), Map.of());
            assertThat(cfg.kafka.bootstrapServers).isNotBlank();
        }
        assertThat(ConfigLoader.load(Path.of("job-configs/cluster.yaml"), Map.of()).kafka.delivery)
                .isEqualTo(KafkaConfig.Delivery.EXACTLY_ONCE);
    }

    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"walkstream\" password=\"hunter2=;\";";

    @Test
    void clientPropertiesComeFromYamlAndFromOverridesWhoseKeysHaveDots() throws Exception {
        String yaml =
                """
                kafka:
                  properties:
                    security.protocol: SASL_SSL
                    request.timeout.ms: 60000
                """;
        KafkaConfig k =
                ConfigLoader.parse(
                                yaml,
                                Map.of(
                                        "kafka.properties.sasl.mechanism",
                                        "PLAIN",
                                        "kafka.properties.sasl.jaas.config",
                                        JAAS,
                                        "kafka.properties.ssl.endpoint.identification.algorithm",
                                        ""))
                        .kafka;
        // Values as written: numbers become strings, the JAAS line keeps its quotes, '=' and ';',
        // empty stays empty.
        assertThat(k.properties)
                .containsOnly(
                        entry("security.protocol", "SASL_SSL"),
                        entry("request.timeout.ms", "60000"),
                        entry("sasl.mechanism", "PLAIN"),
                        entry("sasl.jaas.config", JAAS),
                        entry("ssl.endpoint.identification.algorithm", ""));
        assertThat(ConfigLoader.parse("", Map.of()).kafka.properties).isEmpty();
    }

    @Test
    void keysTheJobOwnsAreRejectedSayingWhereToSetThem() {
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "kafka.properties.bootstrap.servers", "b:9092",
                                                "kafka.properties.group.id", "g",
                                                "kafka.properties.transactional.id", "t",
                                                "kafka.properties.value.deserializer", "x.Y",
                                                "kafka.properties.isolation.level",
                                                        "read_uncommitted",
                                                "kafka.properties.acks", "0")))
                .hasMessageContaining(
                        "kafka.properties.bootstrap.servers is set by the job: set kafka.bootstrapServers")
                .hasMessageContaining(
                        "kafka.properties.group.id is set by the job: set kafka.groupId")
                .hasMessageContaining(
                        "kafka.properties.transactional.id is set by the job: set kafka.transactionalIdPrefix")
                .hasMessageContaining("kafka.properties.value.deserializer is set by the job")
                .hasMessageContaining("kafka.properties.isolation.level is set by the job")
                .hasMessageContaining("kafka.properties.acks is set by the job");
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "kafka:\n  properties:\n    sasl.mechanism:\n", Map.of()))
                .hasMessageContaining("kafka.properties.sasl.mechanism has no value");
    }

    @Test
    void idempotenceMayBeTurnedOffOnlyWithoutTransactions() throws Exception {
        assertThat(
                        ConfigLoader.parse(
                                        "", Map.of("kafka.properties.enable.idempotence", "false"))
                                .kafka
                                .properties)
                .containsEntry("enable.idempotence", "false");
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "kafka.properties.enable.idempotence",
                                                "false",
                                                "kafka.delivery",
                                                "exactly-once")))
                .hasMessageContaining(
                        "kafka.properties.enable.idempotence=false conflicts with kafka.delivery exactly-once");
    }

    @Test
    void everyClientGetsTheBrokerAndTheUsersPropertiesOverItsOwnDefaults() throws Exception {
        KafkaConfig k =
                ConfigLoader.parse(
                                "",
                                Map.of(
                                        "kafka.bootstrapServers",
                                        "a:9092",
                                        "kafka.properties.security.protocol",
                                        "SASL_SSL",
                                        "kafka.properties.linger.ms",
                                        "50"))
                        .kafka;
        Properties p = k.clientProperties(Map.of("linger.ms", "5", "acks", "1"));
        assertThat(p)
                .containsOnly(
                        entry("bootstrap.servers", "a:9092"),
                        entry("security.protocol", "SASL_SSL"),
                        entry("linger.ms", "50"),
                        entry("acks", "1"));
        assertThat(k.clientProperties())
                .containsOnly(
                        entry("bootstrap.servers", "a:9092"),
                        entry("security.protocol", "SASL_SSL"),
                        entry("linger.ms", "50"));
    }

    @Test
    void secretReferencesAreResolvedByTheKafkaClientWithKafkasOwnProviders(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("kafka-secrets.properties");
        Files.writeString(file, "password=from-file\n");
        Files.writeString(dir.resolve("truststore-password"), "from-dir");
        Map<String, String> o = new LinkedHashMap<>();
        o.put(
                "kafka.properties.sasl.jaas.config",
                JAAS.replace("hunter2=;", "${file:" + file + ":password}"));
        o.put("kafka.properties.ssl.truststore.password", "${dir:" + dir + ":truststore-password}");
        o.put("kafka.properties.ssl.key.password", "${env:PATH}");
        KafkaConfig k = ConfigLoader.parse("", o).kafka;

        Properties p = k.clientProperties();
        assertThat(p)
                .containsEntry(
                        "config.providers",
                        "env,file,dir"); // registered because references are used
        AdminClientConfig client =
                new AdminClientConfig(p); // what every Kafka client does with its properties
        assertThat(client.getPassword("sasl.jaas.config").value())
                .contains("password=\"from-file\"")
                .doesNotContain("${");
        assertThat(client.getPassword("ssl.truststore.password").value()).isEqualTo("from-dir");
        assertThat(client.getPassword("ssl.key.password").value()).isEqualTo(System.getenv("PATH"));
    }

    @Test
    void referencesNeedAConfiguredProvider() {
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "kafka.properties.ssl.key.password",
                                                "${vault:kafka:password}")))
                .hasMessageContaining(
                        "kafka.properties.ssl.key.password refers to ${vault:...} but no config provider 'vault' is configured");
        // Providers of the user's own replace the built-in ones, and each needs its class.
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "kafka.properties.config.providers",
                                                "vault",
                                                "kafka.properties.ssl.key.password",
                                                "${env:KEY_PASSWORD}")))
                .hasMessageContaining(
                        "config.providers lists 'vault' but config.providers.vault.class is not set")
                .hasMessageContaining("refers to ${env:...}");
    }

    @Test
    void secretsAreMaskedInEveryPrintOfTheConfiguration() throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka.properties.security.protocol", "SASL_SSL");
        o.put("kafka.properties.sasl.jaas.config", JAAS);
        o.put("kafka.properties.ssl.truststore.password", "truststore-pw");
        o.put("kafka.properties.ssl.keystore.key", "-----BEGIN PRIVATE KEY-----");
        o.put("kafka.properties.sasl.oauthbearer.client.credentials.client.secret", "oauth-secret");
        o.put("kafka.properties.sasl.login.token.value", "a-token");
        JobConfig cfg = ConfigLoader.parse("", o);

        List<String> prints =
                List.of(
                        cfg.kafka.toString(),
                        JsonCodec.writeString(cfg),
                        new ObjectMapper()
                                .writeValueAsString(cfg), // how the evaluation writes report.json
                        Secrets.masked(o)
                                .toString()); // the --set overrides, as the evaluation reports them
        for (String printed : prints) {
            assertThat(printed)
                    .contains("SASL_SSL")
                    .contains(Secrets.MASK)
                    .doesNotContain("hunter2")
                    .doesNotContain("truststore-pw")
                    .doesNotContain("PRIVATE KEY")
                    .doesNotContain("oauth-secret")
                    .doesNotContain("a-token");
        }
        assertThat(cfg.kafka.properties.get("sasl.jaas.config"))
                .isEqualTo(JAAS); // masked when printed, not when used
    }

    @Test
    void theOutageToleranceMustFitInTheTransactionTimeout() throws Exception {
        assertThat(ConfigLoader.parse("", Map.of()).kafka.outageToleranceMs).isEqualTo(300_000);
        assertThatThrownBy(() -> ConfigLoader.parse("", Map.of("kafka.outageToleranceMs", "999")))
                .hasMessageContaining("kafka.outageToleranceMs must be >= 1000");
        // exactly-once: a transaction lives a checkpoint interval plus the outage
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "kafka.delivery",
                                                "exactly-once",
                                                "job.checkpointIntervalMs",
                                                "10000",
                                                "kafka.outageToleranceMs",
                                                "600000",
                                                "kafka.transactionTimeoutMs",
                                                "600000")))
                .hasMessageContaining(
                        "must exceed job.checkpointIntervalMs (10000) + kafka.outageToleranceMs (600000)");
        assertThat(
                        ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "kafka.delivery",
                                                "exactly-once",
                                                "job.checkpointIntervalMs",
                                                "10000",
                                                "kafka.outageToleranceMs",
                                                "300000",
                                                "kafka.transactionTimeoutMs",
                                                "900000"))
                                .kafka
                                .outageToleranceMs)
                .isEqualTo(300_000);
    }
}
