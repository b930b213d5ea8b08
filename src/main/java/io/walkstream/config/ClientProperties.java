package io.walkstream.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * {@code kafka.properties}: the user's Kafka client settings (security, TLS, timeouts), checked and
 * merged into each client's own. Secrets are written as Kafka config-provider references ({@code
 * ${env:NAME}}, {@code ${file:/path:key}}, {@code ${dir:/path:file}}), which every Kafka client
 * resolves itself when it is built: on the TaskManagers for the job, so a secret is never part of
 * the job graph or of this configuration.
 */
final class ClientProperties {
    private static final String BYTES = "the job reads and writes bytes and encodes them itself";

    /** Keys the job sets itself, each with where to set it instead or why it is fixed. */
    private static final Map<String, String> OWNED =
            ordered(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    "set kafka.bootstrapServers",
                    CommonClientConfigs.GROUP_ID_CONFIG,
                    "set kafka.groupId",
                    "auto.offset.reset",
                    "set kafka.startOffsets",
                    "transactional.id",
                    "set kafka.transactionalIdPrefix",
                    "transaction.timeout.ms",
                    "set kafka.transactionTimeoutMs",
                    "partition.discovery.interval.ms",
                    "set kafka.partitionDiscoveryMs",
                    "key.serializer",
                    BYTES,
                    "value.serializer",
                    BYTES,
                    "key.deserializer",
                    BYTES,
                    "value.deserializer",
                    BYTES,
                    "isolation.level",
                    "each client reads what its role needs (read_committed where it reads answers)",
                    "enable.auto.commit",
                    "the job commits its offsets on checkpoints",
                    "acks",
                    "each client chooses its durability (the gateway's requests trade it for latency)",
                    CommonClientConfigs.CLIENT_ID_CONFIG,
                    "each client is named after its role",
                    "client.id.prefix",
                    "each client is named after its role");

    /**
     * Kafka's built-in config providers, registered under these aliases when the user's properties
     * use references but name no {@code config.providers} of their own.
     */
    private static final Map<String, String> BUILT_IN_PROVIDERS =
            ordered(
                    "env", EnvVarConfigProvider.class.getName(),
                    "file", FileConfigProvider.class.getName(),
                    "dir", DirectoryConfigProvider.class.getName());

    private static final String PROVIDERS = AbstractConfig.CONFIG_PROVIDERS_CONFIG;

    private ClientProperties() {}

    static void validate(
            Map<String, String> properties, KafkaConfig.Delivery delivery, List<String> problems) {
        if (properties == null) {
            problems.add(
                    "kafka.properties must be a mapping of Kafka client settings (leave it out for none)");
            return;
        }
        properties.forEach((key, value) -> checkEntry(key, value, delivery, problems));
        checkProviders(properties, problems);
    }

    private static void checkEntry(
            String key, String value, KafkaConfig.Delivery delivery, List<String> problems) {
        String name = "kafka.properties." + key;
        if (key == null || key.isBlank()) {
            problems.add("kafka.properties: a key is empty");
        } else if (OWNED.containsKey(key)) {
            problems.add(name + " is set by the job: " + OWNED.get(key));
        } else if (value == null) {
            problems.add(name + " has no value");
        } else if (key.equals("enable.idempotence")
                && value.trim().equalsIgnoreCase("false")
                && delivery == KafkaConfig.Delivery.EXACTLY_ONCE) {
            problems.add(
                    name
                            + "=false conflicts with kafka.delivery exactly-once: Kafka transactions need idempotence");
        }
    }

    /**
     * A reference to a provider the client will not have stays unresolved, and the broker then
     * refuses a login whose password is the reference's text: say so now instead.
     */
    private static void checkProviders(Map<String, String> properties, List<String> problems) {
        Set<String> providers = providers(properties);
        if (properties.containsKey(PROVIDERS)) {
            for (String alias : providers) {
                if (!properties.containsKey(providerClassKey(alias))) {
                    problems.add(
                            "kafka.properties."
                                    + PROVIDERS
                                    + " lists '"
                                    + alias
                                    + "' but "
                                    + providerClassKey(alias)
                                    + " is not set");
                }
            }
        }
        properties.forEach(
                (key, value) -> {
                    for (String alias : references(value)) {
                        if (!providers.contains(alias)) {
                            problems.add(
                                    "kafka.properties."
                                            + key
                                            + " refers to ${"
                                            + alias
                                            + ":...} but no config provider '"
                                            + alias
                                            + "' is configured (built in: "
                                            + String.join(", ", BUILT_IN_PROVIDERS.keySet())
                                            + ")");
                        }
                    }
                });
    }

    /**
     * A client's own settings, then {@code bootstrap.servers} and the user's properties over them:
     * a user's timeout or buffer size wins over a client's default, while the keys that the job
     * must own are rejected by {@link #validate} before any client is built.
     */
    static Properties merge(
            String bootstrapServers, Map<String, String> user, Map<String, String> clientSettings) {
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(user);
        if (!user.containsKey(PROVIDERS)
                && user.values().stream().anyMatch(v -> !references(v).isEmpty())) {
            p.setProperty(PROVIDERS, String.join(",", BUILT_IN_PROVIDERS.keySet()));
            BUILT_IN_PROVIDERS.forEach(
                    (alias, type) -> p.setProperty(providerClassKey(alias), type));
        }
        return p;
    }

    /** The provider aliases a client built from these properties will have. */
    private static Set<String> providers(Map<String, String> properties) {
        String listed = properties.get(PROVIDERS);
        if (listed == null) {
            return BUILT_IN_PROVIDERS.keySet();
        }
        Set<String> aliases = new LinkedHashSet<>();
        for (String a : listed.split(",")) {
            if (!a.isBlank()) {
                aliases.add(a.trim());
            }
        }
        return aliases;
    }

    /**
     * Provider aliases referred to in a value, found with Kafka's own pattern for {@code
     * ${provider:[path:]key}}.
     */
    private static List<String> references(String value) {
        List<String> aliases = new ArrayList<>();
        if (value == null) {
            return aliases;
        }
        Matcher m = ConfigTransformer.DEFAULT_PATTERN.matcher(value);
        while (m.find()) {
            aliases.add(m.group(1));
        }
        return aliases;
    }

    private static String providerClassKey(String alias) {
        return PROVIDERS + "." + alias + ".class";
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
