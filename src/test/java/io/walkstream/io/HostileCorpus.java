package io.walkstream.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A generated corpus of bad records — at least 1,000 — of every kind producers get wrong, each with
 * the topic it goes to, a kind label and a word its dead-letter reason must contain. Built from
 * good templates of each topic by mutation, so every field of every topic is attacked: truncation,
 * wrong types, nulls in required fields, empty and enormous strings and arrays, invalid UTF-8, NaN
 * and infinities, timestamps far in the past and future, unknown fields and actions, duplicate
 * keys, oversized messages, tombstones and non-objects. Deterministic (seeded).
 */
final class HostileCorpus {
    /**
     * One bad record: topic (i interactions, t items, r requests), bytes (null = tombstone), kind,
     * reason word.
     */
    record Bad(char topic, byte[] value, String kind, String reasonContains) {}

    static final String[] INTERACTION_FIELDS = {"user", "item", "action", "ts", "weight"};
    static final String[] ITEM_FIELDS = {"item", "category", "brand", "tags", "embedding", "ts"};
    static final String[] REQUEST_FIELDS = {
        "requestId", "user", "k", "channel", "ts", "exclude", "candidates", "walkers", "timeoutMs"
    };

    private HostileCorpus() {}

    static String interaction(int n) {
        return "{\"user\":\"u:h"
                + n
                + "\",\"item\":\"i:h"
                + n
                + "\",\"action\":\"view\",\"ts\":1700000000000,\"weight\":1.5}";
    }

    static String item(int n) {
        return "{\"item\":\"i:h"
                + n
                + "\",\"category\":\"c\",\"brand\":\"b\",\"tags\":[\"t1\",\"t2\"],\"embedding\":[0.5,-0.25],\"ts\":1700000000000}";
    }

    static String request(int n) {
        return "{\"requestId\":\"hr-"
                + n
                + "\",\"user\":\"u:h"
                + n
                + "\",\"k\":5,\"channel\":\"home\",\"ts\":1700000000000,"
                + "\"exclude\":[\"i:1\"],\"candidates\":[\"i:2\"],\"walkers\":100,\"timeoutMs\":500}";
    }

    static String template(char topic, int n) {
        return switch (topic) {
            case 'i' -> interaction(n);
            case 't' -> item(n);
            default -> request(n);
        };
    }

    static String[] fields(char topic) {
        return switch (topic) {
            case 'i' -> INTERACTION_FIELDS;
            case 't' -> ITEM_FIELDS;
            default -> REQUEST_FIELDS;
        };
    }

    /**
     * Replaces the value of {@code field} in a template (whose values hold no commas outside
     * arrays) by {@code raw}.
     */
    static String replace(String json, String field, String raw) {
        int start = valueStart(json, field);
        return json.substring(0, start) + raw + json.substring(valueEnd(json, start));
    }

    static String valueOf(String json, String field) {
        int start = valueStart(json, field);
        return json.substring(start, valueEnd(json, start));
    }

    private static int valueStart(String json, String field) {
        String key = "\"" + field + "\":";
        return json.indexOf(key) + key.length();
    }

    private static int valueEnd(String json, int start) {
        int depth = 0;
        boolean inString = false;
        for (int end = start; end < json.length(); end++) {
            char c = json.charAt(end);
            if (c == '"') {
                inString = !inString;
            }
            if (inString) {
                continue;
            }
            if (c == '[') {
                depth++;
            }
            if (c == ']') {
                depth--;
            }
            if (depth == 0 && (c == ',' || c == '}')) {
                return end;
            }
        }
        return json.length();
    }

    static List<Bad> generate() {
        Random rnd = new Random(7);
        List<Bad> out = new ArrayList<>();
        char[] topics = {'i', 't', 'r'};
        int n = 0;
        for (char topic : topics) {
            // Truncated: every proper prefix length class of the template.
            for (int v = 0; v < 150; v++) {
                String t = template(topic, n++);
                int cut = 1 + rnd.nextInt(t.length() - 1);
                out.add(text(topic, t.substring(0, cut), "truncated", "JSON"));
            }
            for (String field : fields(topic)) {
                // Wrong types: a value of every other JSON type.
                boolean numeric =
                        field.equals("ts")
                                || field.equals("weight")
                                || field.equals("k")
                                || field.equals("walkers")
                                || field.equals("timeoutMs");
                boolean array =
                        field.equals("tags")
                                || field.equals("embedding")
                                || field.equals("exclude")
                                || field.equals("candidates");
                List<String> wrong = new ArrayList<>(List.of("true", "{\"a\":1}"));
                if (numeric) {
                    wrong.addAll(List.of("\"12\"", "[1]", "\"\""));
                } else if (array) {
                    wrong.addAll(List.of("\"x\"", "7", "[[1]]", "[{}]"));
                } else {
                    wrong.addAll(List.of("12", "[\"x\"]", "1.5"));
                }
                if (field.equals("k")
                        || field.equals("walkers")
                        || field.equals("timeoutMs")
                        || field.equals("ts")) {
                    wrong.add("1.5");
                }
                for (String w : wrong) {
                    for (int v = 0; v < 4; v++) {
                        out.add(
                                text(
                                        topic,
                                        replace(template(topic, n++), field, w),
                                        "wrong type",
                                        field));
                    }
                }
                // Duplicate key.
                String t = template(topic, n++);
                out.add(
                        text(
                                topic,
                                t.replaceFirst(
                                        "\\{", "{\"" + field + "\":" + valueOf(t, field) + ","),
                                "duplicate key",
                                field));
                // Unknown field next to it.
                out.add(
                        text(
                                topic,
                                replace(
                                        template(topic, n++),
                                        field,
                                        valueOf(template(topic, n), field)
                                                + ",\""
                                                + field
                                                + "X\":1"),
                                "unknown field",
                                field + "X"));
            }
            // Unknown fields, nested deep.
            for (int v = 0; v < 10; v++) {
                out.add(
                        text(
                                topic,
                                template(topic, n++)
                                        .replace("}", ",\"extra" + v + "\":{\"deep\":[1,2,3]}}"),
                                "unknown field",
                                "extra" + v));
            }
            // Non-objects and junk.
            for (String junk :
                    List.of(
                            "[]",
                            "[1,2]",
                            "42",
                            "\"str\"",
                            "true",
                            "null",
                            "{}",
                            "{\"",
                            "}",
                            "not json",
                            " ",
                            "\t\n",
                            "{\"a\":",
                            "{'user':'u'}",
                            "{user:\"u\"}",
                            "\u0000\u0001",
                            "{\"a\":1}{\"b\":2}")) {
                out.add(text(topic, junk, "not an object", ""));
            }
            // Tombstone and empty bytes.
            out.add(new Bad(topic, null, "tombstone", "empty"));
            out.add(new Bad(topic, new byte[0], "empty bytes", "empty"));
            // Invalid UTF-8 at several positions of the template's first id.
            for (int v = 0; v < 20; v++) {
                byte[] b = template(topic, n++).getBytes(StandardCharsets.UTF_8);
                int pos =
                        Arrays.asList(fields(topic)).indexOf(fields(topic)[0])
                                + 4
                                + fields(topic)[0].length()
                                + 1
                                + v % 3;
                byte[][] bad = {
                    {(byte) 0xC3, (byte) 0x28},
                    {(byte) 0xFF},
                    {(byte) 0xE2, (byte) 0x82},
                    {(byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28}
                };
                byte[] ins = bad[v % bad.length];
                byte[] out2 = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out2, 0, pos);
                System.arraycopy(ins, 0, out2, pos, ins.length);
                System.arraycopy(b, pos, out2, pos + ins.length, b.length - pos);
                out.add(new Bad(topic, out2, "invalid UTF-8", ""));
            }
            // Oversized: over the 64 KiB limit, up to 900 KB.
            for (int size : new int[] {65 * 1024, 100_000, 300_000, 900_000}) {
                out.add(
                        text(
                                topic,
                                replace(
                                        template(topic, n++),
                                        fields(topic)[0],
                                        "\"" + "x".repeat(size) + "\""),
                                "oversized",
                                "exceeds"));
            }
            // Timestamps far in the past and future, and not integers.
            for (String ts :
                    List.of(
                            "-1",
                            "-9223372036854775808",
                            "9223372036854775807",
                            "99999999999999999",
                            "7258118400001",
                            "1e20",
                            "1.7e12",
                            "-0.5")) {
                out.add(text(topic, replace(template(topic, n++), "ts", ts), "timestamp", "ts"));
            }
        }
        // Interactions: values out of range.
        for (String w :
                List.of("NaN", "Infinity", "-Infinity", "1e400", "-1", "0", "1000001", "\"NaN\"")) {
            String why =
                    w.equals("NaN") || w.endsWith("Infinity") ? "Non-standard token" : "weight";
            for (int v = 0; v < 4; v++) {
                out.add(text('i', replace(interaction(n++), "weight", w), "bad weight", why));
            }
        }
        for (String a : List.of("teleport", "", "VIEWS", "follow ", "attribute", "null")) {
            for (int v = 0; v < 4; v++) {
                out.add(
                        text(
                                'i',
                                replace(interaction(n++), "action", "\"" + a + "\""),
                                "unknown action",
                                "action"));
            }
        }
        for (String f : List.of("user", "item", "action")) {
            for (int v = 0; v < 4; v++) {
                out.add(text('i', replace(interaction(n++), f, "null"), "null required", f));
            }
        }
        for (String id : idsThatAreBad()) {
            out.add(text('i', replace(interaction(n++), "user", id), "bad id", "user"));
            out.add(text('i', replace(interaction(n++), "item", id), "bad id", "item"));
            out.add(text('t', replace(item(n++), "item", id), "bad id", "item"));
            out.add(text('r', replace(request(n++), "requestId", id), "bad id", "requestId"));
        }
        out.add(
                text(
                        'i',
                        "{\"user\":\"u:1\",\"action\":\"follow\",\"followee\":\"u:1\"}",
                        "self follow",
                        "follow"));
        out.add(
                text(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"follow\",\"followee\":\"u:2\"}",
                        "follow with item",
                        "item"));
        out.add(
                text(
                        'i',
                        "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"view\",\"followee\":\"u:2\"}",
                        "view with followee",
                        "followee"));
        // Items: enormous and invalid arrays.
        out.add(
                text(
                        't',
                        replace(item(n++), "embedding", "[" + "0.1,".repeat(1024) + "0.1]"),
                        "enormous array",
                        "embedding"));
        out.add(text('t', replace(item(n++), "embedding", "[]"), "empty array", "embedding"));
        for (String e :
                List.of("[NaN]", "[Infinity,1]", "[1e400]", "[0,0]", "[null]", "[\"0.1\"]")) {
            String why =
                    e.contains("NaN") || e.contains("Infinity")
                            ? "Non-standard token"
                            : "embedding";
            for (int v = 0; v < 3; v++) {
                out.add(text('t', replace(item(n++), "embedding", e), "bad embedding", why));
            }
        }
        out.add(
                text(
                        't',
                        replace(item(n++), "tags", "[" + "\"t\",".repeat(5000) + "\"t\"]"),
                        "enormous array",
                        "tags"));
        out.add(text('t', replace(item(n++), "tags", "[null]"), "null in array", "tags"));
        out.add(text('t', replace(item(n++), "tags", "[\"\"]"), "empty string in array", "tags"));
        // Requests: values out of range.
        for (String[] fv :
                new String[][] {
                    {"k", "-1"},
                    {"k", "100000"},
                    {"walkers", "-5"},
                    {"timeoutMs", "-1"},
                    {"requestId", "null"},
                    {"candidates", "[null]"},
                    {"exclude", "[\"\"]"}
                }) {
            for (int v = 0; v < 3; v++) {
                out.add(text('r', replace(request(n++), fv[0], fv[1]), "out of range", fv[0]));
            }
        }
        for (int v = 0; v < 4; v++) {
            out.add(
                    text(
                            'r',
                            "{\"requestId\":\"hr-none-" + v + "\",\"k\":5}",
                            "neither user nor item",
                            "user or item"));
        }
        return out;
    }

    static List<String> idsThatAreBad() {
        return List.of(
                "\"\"",
                "\"" + "x".repeat(257) + "\"",
                "\"a\\u0000b\"",
                "\"tab\\there\"",
                "\"nl\\n\"",
                "\"" + "y".repeat(5000) + "\"");
    }

    private static Bad text(char topic, String s, String kind, String reasonContains) {
        return new Bad(topic, s.getBytes(StandardCharsets.UTF_8), kind, reasonContains);
    }
}
