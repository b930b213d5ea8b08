package io.walkstream.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.model.Event;
import io.walkstream.model.Validation;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trained vectors on disk, JSON Lines (UTF-8):
 *
 * <pre>
 * {"walkstreamVectors":1,"model":"sage-1a2b3c4d","dim":32,"count":1682,"training":{...}}
 * {"item":"i:1","embedding":[0.0132,-0.2085,...],"model":"sage-1a2b3c4d"}
 * {"item":"i:10",...}
 * </pre>
 *
 * Line 1 describes the file; every other line is exactly a record of the {@code items} topic (a
 * vector-only update, see docs/messages.md), so publishing is sending lines as they are. Items are
 * in id order and floats in their shortest exact form, so the same vectors give the same bytes.
 */
public final class VectorsFile {
    public static final int FORMAT = 1;

    private VectorsFile() {}

    /** A file's content. */
    public record Vectors(String model, int dim, Map<String, float[]> byItem, JsonNode training) {}

    /**
     * The model version a file of these vectors gets when none is given: "sage-" + 8 hex of their
     * SHA-256.
     */
    public static String contentVersion(Map<String, float[]> byItem) {
        return contentVersion("sage", byItem);
    }

    /** The model version: {@code kind} + "-" + 8 hex of the vectors' SHA-256. */
    public static String contentVersion(String kind, Map<String, float[]> byItem) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, float[]> e : new TreeMap<>(byItem).entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                for (float f : e.getValue()) {
                    int bits = Float.floatToIntBits(f);
                    sha.update(
                            new byte[] {
                                (byte) (bits >>> 24),
                                (byte) (bits >>> 16),
                                (byte) (bits >>> 8),
                                (byte) bits
                            });
                }
            }
            return kind + "-" + HexFormat.of().formatHex(sha.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(
            Path file, String model, Map<String, float[]> byItem, Map<String, Object> training)
            throws IOException {
        Map<String, float[]> sorted = new TreeMap<>(byItem);
        int dim = sorted.isEmpty() ? 0 : sorted.values().iterator().next().length;
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ObjectNode head = JsonCodec.mapper().createObjectNode();
            head.put("walkstreamVectors", FORMAT)
                    .put("model", model)
                    .put("dim", dim)
                    .put("count", sorted.size());
            head.set("training", JsonCodec.mapper().valueToTree(training));
            w.write(JsonCodec.writeString(head));
            w.write('\n');
            for (Map.Entry<String, float[]> e : sorted.entrySet()) {
                w.write(record(e.getKey(), e.getValue(), model));
                w.write('\n');
            }
        }
    }

    /** One vector as an {@code items} record. */
    public static String record(String item, float[] v, String model) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("item", item);
        ArrayNode a = n.putArray("embedding");
        for (float f : v) {
            a.add(f);
        }
        n.put("model", model);
        return JsonCodec.writeString(n);
    }

    /**
     * Reads and checks a file: the header, and every line an items record the job would accept with
     * the header's dimension and model; the first bad line is reported with its number.
     */
    public static Vectors read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (first == null) {
                throw new IOException(file + ": empty, expected a vectors header line");
            }
            JsonNode head = JsonCodec.mapper().readTree(first);
            if (head == null
                    || !head.path("walkstreamVectors").canConvertToInt()
                    || head.path("walkstreamVectors").asInt() != FORMAT) {
                throw new IOException(
                        file
                                + ": line 1 is not a walkstream vectors header (format "
                                + FORMAT
                                + ")");
            }
            String model = head.path("model").asText(null);
            int dim = head.path("dim").asInt();
            Map<String, float[]> out = new LinkedHashMap<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Parsed<Event> p =
                        JsonCodec.parseItem(
                                line.getBytes(StandardCharsets.UTF_8),
                                0,
                                dim,
                                Validation.MAX_VECTOR);
                String problem = p.isOk() ? null : p.error();
                if (problem == null && p.value().embedding == null) {
                    problem = "no embedding";
                }
                if (problem == null && model != null && !model.equals(p.value().model)) {
                    problem = "model " + p.value().model + ", header says " + model;
                }
                if (problem != null) {
                    throw new IOException(file + ": line " + lineNo + ": " + problem);
                }
                out.put(p.value().item, p.value().embedding);
            }
            if (head.has("count") && head.get("count").asInt() != out.size()) {
                throw new IOException(
                        file
                                + ": header says "
                                + head.get("count").asInt()
                                + " vectors, found "
                                + out.size());
            }
            return new Vectors(model, dim, out, head.get("training"));
        }
    }

    /** The vectors as item-metadata events stamped {@code ts} (for a replay). */
    public static List<Event> events(Vectors v, long ts) {
        return v.byItem().entrySet().stream()
                .map(
                        e -> {
                            Event ev = Event.item(e.getKey(), null, null, null, e.getValue(), ts);
                            ev.model = v.model();
                            return ev;
                        })
                .toList();
    }
}
