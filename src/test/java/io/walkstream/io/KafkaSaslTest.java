package io.walkstream.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Recommendation;
import io.walkstream.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job against a broker that requires a SASL/PLAIN login, with and without TLS: a client without
 * credentials or with a wrong password is refused, and the job, given its credentials only through
 * {@code kafka.properties} (the password read from a file by Kafka's own config provider), answers.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaSaslTest {
    private static final String PLAIN_LOGIN =
            "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String USER = "walkstream";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @ParameterizedTest
    @EnumSource(
            value = SecurityProtocol.class,
            names = {"SASL_PLAINTEXT", "SASL_SSL"})
    void theJobLogsInWithTheCredentialsOfKafkaProperties(
            SecurityProtocol protocol, @TempDir Path dir) throws Exception {
        boolean tls = protocol == SecurityProtocol.SASL_SSL;
        TestCertificates cert = tls ? TestCertificates.forLocalhost() : null;
        Path trustStore = dir.resolve("broker-ca.pem");
        if (tls) {
            Files.writeString(trustStore, cert.certificatePem());
        }
        Map<String, String> trust =
                tls
                        ? Map.of(
                                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
                                "PEM",
                                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                                trustStore.toString())
                        : Map.of();

        try (KafkaTestBed bed =
                new KafkaTestBed(broker(protocol, cert), login(protocol, PASSWORD, trust))
                        .start()) {
            assertRefused(bed, trust, protocol);

            Path secrets = dir.resolve("kafka-secrets.properties");
            Files.writeString(secrets, "password=" + PASSWORD + "\n");
            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("walk.alignment", "WATERMARK");
            overrides.put("kafka.properties.security.protocol", protocol.name);
            overrides.put("kafka.properties.sasl.mechanism", "PLAIN");
            overrides.put(
                    "kafka.properties.sasl.jaas.config",
                    jaas(USER, "${file:" + secrets + ":password}"));
            trust.forEach((k, v) -> overrides.put("kafka.properties." + k, v));
            JobConfig cfg = bed.config(overrides);
            assertThat(cfg.kafka.properties.get(SaslConfigs.SASL_JAAS_CONFIG))
                    .doesNotContain(PASSWORD);

            SmallShop.sendGraph(bed, cfg);
            SmallShop.sendRequests(bed, cfg);
            JobClient job = KafkaTestBed.startJob(cfg);
            List<ConsumerRecord<byte[], byte[]>> out;
            try {
                bed.awaitConsumed(
                        cfg,
                        Duration.ofSeconds(60),
                        cfg.kafka.interactionsTopic,
                        cfg.kafka.itemsTopic);
                SmallShop.sendTicks(bed, cfg);
                out =
                        bed.readUntil(
                                cfg.kafka.recommendationsTopic,
                                false,
                                Duration.ofSeconds(90),
                                r -> r.size() >= 2);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }

            Map<String, Recommendation> byId = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> rec : out) {
                Recommendation r = JsonCodec.readRecommendation(rec.value());
                byId.put(r.requestId, r);
            }
            assertThat(byId).containsOnlyKeys(SmallShop.USER_REQUEST, SmallShop.ITEM_REQUEST);
            assertThat(KafkaEndToEndTest.items(byId.get(SmallShop.USER_REQUEST)))
                    .containsExactly("i:b");
            assertThat(KafkaEndToEndTest.items(byId.get(SmallShop.ITEM_REQUEST)))
                    .containsExactly("i:d");
        }
    }

    /**
     * Without a login the broker drops the connection (the call times out); with a wrong password
     * it refuses it.
     */
    private static void assertRefused(
            KafkaTestBed bed, Map<String, String> trust, SecurityProtocol protocol) {
        Properties anonymous = new Properties();
        anonymous.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bed.kafka.bootstrapServers());
        assertThatThrownBy(() -> listTopics(anonymous))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);

        Properties wrongPassword = new Properties();
        wrongPassword.putAll(login(protocol, "not-" + PASSWORD, trust));
        wrongPassword.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bed.kafka.bootstrapServers());
        assertThatThrownBy(() -> listTopics(wrongPassword))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    private static void listTopics(Properties client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            admin.listTopics(new ListTopicsOptions().timeoutMs(3_000)).names().get();
        }
    }

    /**
     * The broker's client listener (EXTERNAL; the controller's own stays plaintext) with
     * SASL/PLAIN: its own login for connections to itself, and the users it accepts ({@code
     * user_NAME="password"}). No authorizer: any authenticated user may use any topic.
     */
    private static Map<String, String> broker(SecurityProtocol protocol, TestCertificates cert) {
        Map<String, String> b = new HashMap<>();
        b.put(
                "listener.security.protocol.map",
                "EXTERNAL:" + protocol.name + ",CONTROLLER:PLAINTEXT");
        b.put("sasl.enabled.mechanisms", "PLAIN");
        b.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        b.put(
                "listener.name.external.plain.sasl.jaas.config",
                PLAIN_LOGIN
                        + " required username=\"broker\" password=\"broker-pw\" user_broker=\"broker-pw\" user_"
                        + USER
                        + "=\""
                        + PASSWORD
                        + "\";");
        if (cert != null) {
            b.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            b.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, cert.certificatePem());
            b.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, cert.privateKeyPem());
            // The broker's connections to itself check its certificate like any client.
            b.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            b.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, cert.certificatePem());
        }
        return b;
    }

    private static Map<String, String> login(
            SecurityProtocol protocol, String password, Map<String, String> trust) {
        Map<String, String> c = new HashMap<>(trust);
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name);
        c.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        c.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(USER, password));
        return c;
    }

    private static String jaas(String user, String password) {
        return PLAIN_LOGIN + " required username=\"" + user + "\" password=\"" + password + "\";";
    }
}
