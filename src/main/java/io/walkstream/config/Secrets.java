package io.walkstream.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which settings hold secrets, and their values hidden for printing. Decided by the key's name, not
 * the value: a value written as a {@code ${env:…}} reference is hidden too, since the same key may
 * hold a literal password in another deployment's file.
 */
public final class Secrets {
    public static final String MASK = "***";

    /**
     * Lower-case fragments of a key that holds a secret (sasl.jaas.config, ssl.key.password, ...).
     */
    private static final List<String> SECRET_WORDS =
            List.of("password", "secret", "jaas", "token", "key", "credential");

    private Secrets() {}

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(k::contains);
    }

    /** A copy, in the same order, with the values of secret keys replaced by {@link #MASK}. */
    public static Map<String, String> masked(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        if (settings != null) {
            settings.forEach((k, v) -> out.put(k, v != null && isSecret(k) ? MASK : v));
        }
        return out;
    }

    /**
     * Writes a settings map with its secrets masked: put on a field, every JSON dump of the
     * configuration (evaluation reports, for one) hides them. Reading is unaffected.
     */
    public static final class MaskingSerializer extends JsonSerializer<Map<String, String>> {
        @Override
        public void serialize(
                Map<String, String> value, JsonGenerator gen, SerializerProvider serializers)
                throws IOException {
            gen.writeStartObject();
            for (Map.Entry<String, String> e : masked(value).entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeEndObject();
        }
    }
}
