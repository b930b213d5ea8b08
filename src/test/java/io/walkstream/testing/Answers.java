package io.walkstream.testing;

import io.walkstream.io.JsonCodec;
import io.walkstream.model.Recommendation;
import java.util.Collection;
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
}
