package io.walkstream.testing;

import io.walkstream.io.JsonCodec;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers in a form that can be compared across runs: the whole answer as JSON (items, scores,
 * visits, similarities, reasons, walker accounting), minus the one field that depends on the wall
 * clock, {@code latencyMs}. Keyed by request id; a second answer for the same id is an error.
 */
public final class Answers {
    private Answers() {}

    public static Map<String, String> byRequest(Collection<Recommendation> answers) {
        Map<String, String> out = new TreeMap<>();
        for (Recommendation r : answers) {
            long latency = r.latencyMs;
            r.latencyMs = 0;
            String json = JsonCodec.writeString(r);
            r.latencyMs = latency;
            if (out.put(r.requestId, json) != null) {
                throw new AssertionError("request " + r.requestId + " answered more than once");
            }
        }
        return out;
    }

    /**
     * Where two sets of answers (as from {@link #byRequest}) differ, one line per request: items
     * whose similarity, visits or contexts changed ({@code i2 sim 0.699->0.697 vis 99->100}), items
     * only in one of them ({@code i7:-}, {@code i9:+}), and the walker accounting when it changed.
     * Empty when they are equal. For assertion messages: a diff of whole JSON answers hides the
     * pattern.
     */
    public static List<String> diff(Map<String, String> expected, Map<String, String> actual) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got = actual.get(e.getKey());
            if (got == null) {
                out.add(e.getKey() + ": no answer");
            } else if (!got.equals(e.getValue())) {
                out.add(e.getKey() + ": " + diff(read(e.getValue()), read(got)));
            }
        }
        for (String id : actual.keySet()) {
            if (!expected.containsKey(id)) {
                out.add(id + ": not expected");
            }
        }
        return out;
    }

    private static String diff(Recommendation a, Recommendation b) {
        Map<String, RecommendedItem> ia = items(a), ib = items(b);
        List<String> parts = new ArrayList<>();
        if (a.walkers != b.walkers || a.arrived != b.arrived || a.absorbed != b.absorbed) {
            parts.add(
                    String.format(
                            "walkers %d->%d arrived %d->%d absorbed %d->%d",
                            a.walkers, b.walkers, a.arrived, b.arrived, a.absorbed, b.absorbed));
        }
        for (Map.Entry<String, RecommendedItem> e : ia.entrySet()) {
            RecommendedItem p = e.getValue(), q = ib.get(e.getKey());
            if (q == null) {
                parts.add(e.getKey() + ":-");
                continue;
            }
            StringBuilder s = new StringBuilder();
            if (p.similarity != q.similarity) {
                s.append(String.format(" sim %.3f->%.3f", p.similarity, q.similarity));
            }
            if (p.visits != q.visits) {
                s.append(" vis ").append(p.visits).append("->").append(q.visits);
            }
            if (p.contexts != q.contexts) {
                s.append(" ctx ").append(p.contexts).append("->").append(q.contexts);
            }
            if (s.length() > 0) {
                parts.add(e.getKey() + s);
            }
        }
        for (String item : ib.keySet()) {
            if (!ia.containsKey(item)) {
                parts.add(item + ":+");
            }
        }
        return parts.isEmpty() ? "other fields differ" : String.join("; ", parts);
    }

    private static Map<String, RecommendedItem> items(Recommendation r) {
        Map<String, RecommendedItem> out = new TreeMap<>();
        if (r.items != null) {
            for (RecommendedItem i : r.items) {
                out.put(i.item, i);
            }
        }
        return out;
    }

    private static Recommendation read(String json) {
        try {
            return JsonCodec.readRecommendation(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
