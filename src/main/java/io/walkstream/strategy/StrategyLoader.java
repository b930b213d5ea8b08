package io.walkstream.strategy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads strategies from YAML or JSON (JSON is YAML): strict, unknown fields are errors naming the
 * field.
 */
public final class StrategyLoader {
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper JSON =
            new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private StrategyLoader() {}

    /**
     * Parses one strategy document; throws {@link IllegalArgumentException} with the field and
     * problem.
     */
    public static StrategySpec parse(byte[] document) {
        try {
            StrategySpec s = YAML.readValue(document, StrategySpec.class);
            if (s == null) {
                throw new IllegalArgumentException("empty strategy document");
            }
            return s;
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(path(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not YAML or JSON: " + e.getMessage(), e);
        }
    }

    public static StrategySpec parse(String document) {
        return parse(document.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every *.yaml, *.yml and *.json file of a folder, in name order; a bad file fails with its
     * name.
     */
    public static List<StrategySpec> loadDir(Path dir) throws IOException {
        List<StrategySpec> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(StrategyLoader::isStrategyFile).sorted().toList()) {
                try {
                    out.add(parse(Files.readAllBytes(f)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(f.getFileName() + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    static boolean isStrategyFile(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    /** The canonical JSON of a strategy (how it travels and is kept in broadcast state). */
    public static String toJson(StrategySpec s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(document)" : sb.toString();
    }
}
