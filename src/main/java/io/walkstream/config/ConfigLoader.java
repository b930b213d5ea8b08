package io.walkstream.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Loads a {@link JobConfig} from YAML or JSON, then applies {@code section.field=value} overrides
 * (from the command line). Unknown fields are errors, so a typo never silently keeps a default.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                    .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                    .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);

    /**
     * The one free-form map whose keys contain dots; {@code --set
     * kafka.properties.sasl.mechanism=PLAIN} sets one key.
     */
    private static final String KAFKA_PROPERTIES = "kafka.properties";

    private ConfigLoader() {}

    /** Loads a file; relative paths in it (strategies.dir) are relative to the file's folder. */
    public static JobConfig load(Path file, Map<String, String> overrides) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        return parse(Files.readString(file), overrides, folder);
    }

    /**
     * Parses YAML (JSON is valid YAML), applies overrides, validates; relative paths stay as given.
     */
    public static JobConfig parse(String text, Map<String, String> overrides) throws IOException {
        return parse(text, overrides, null);
    }

    private static JobConfig parse(String text, Map<String, String> overrides, Path folder)
            throws IOException {
        JsonNode tree =
                text == null || text.isBlank() ? YAML.createObjectNode() : YAML.readTree(text);
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = YAML.createObjectNode();
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException("a job configuration must be a mapping of sections");
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            set((ObjectNode) tree, o.getKey(), o.getValue());
        }
        try {
            JobConfig cfg = YAML.treeToValue(tree, JobConfig.class);
            if (folder != null
                    && cfg.strategies != null
                    && cfg.strategies.dir != null
                    && !Path.of(cfg.strategies.dir).isAbsolute()) {
                cfg.strategies.dir = folder.resolve(cfg.strategies.dir).normalize().toString();
            }
            return cfg.validated();
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(
                    "invalid configuration at " + pathOf(e) + ": " + e.getOriginalMessage(), e);
        }
    }

    public static JobConfig defaults() {
        return new JobConfig().validated();
    }

    private static void set(ObjectNode root, String path, String value) {
        String prefix = KAFKA_PROPERTIES + ".";
        if (path.startsWith(prefix) && path.length() > prefix.length()) {
            // Kafka's keys contain dots (sasl.jaas.config): the rest of the path is one key. The
            // value is taken as written, not parsed as YAML: a JAAS line holds quotes, '=' and ';'.
            objectAt(root, KAFKA_PROPERTIES.split("\\."))
                    .put(path.substring(prefix.length()), value);
            return;
        }
        String[] parts = path.split("\\.");
        ObjectNode node = objectAt(root, Arrays.copyOf(parts, parts.length - 1));
        // A YAML scalar parses to the right type (number, boolean, string) when Jackson binds it.
        JsonNode parsed;
        try {
            parsed = YAML.readTree(value);
        } catch (IOException e) {
            parsed = TextNode.valueOf(value);
        }
        node.set(
                parts[parts.length - 1],
                parsed == null || parsed.isMissingNode() ? TextNode.valueOf(value) : parsed);
    }

    /** The object at {@code path}, created (replacing any scalar) where missing. */
    private static ObjectNode objectAt(ObjectNode root, String[] path) {
        ObjectNode node = root;
        for (String part : path) {
            JsonNode child = node.get(part);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(part);
            }
            node = (ObjectNode) child;
        }
        return node;
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }
}
