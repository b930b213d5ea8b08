package io.walkstream.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.walkstream.io.JsonCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the console shows about answers: every answer the job writes (the reply consumer sees them
 * all, not only this gateway's), counted per second and per strategy, version and variant, with the
 * job's own latency; and the round trips of this gateway's calls. Answers are read with a streaming
 * parser that skips the items, so counting costs far less than the answer's own serialisation.
 */
final class AnswerStats {
    private static final long MAX_LATENCY_MS = 600_000;

    /** Answers per strategy, version and variant since the gateway started. */
    record Served(String strategy, int version, String variant, long answered, long partial) {}

    /** One second's counts, taken and reset by {@link #takeSecond()}. */
    record Second(
            long answers,
            long partial,
            long shed,
            Histogram jobLatencyMs,
            Histogram roundTripMicros) {}

    private final Recorder jobLatency = new Recorder(MAX_LATENCY_MS, 2);
    private final Recorder roundTrips = new Recorder(MAX_LATENCY_MS * 1000, 2);
    private final Map<String, long[]> byVariant = new TreeMap<>();
    private long answers;
    private long partial;
    private long shed;

    /** Counts one answer of the job (its JSON); unreadable answers count without details. */
    void answer(byte[] json) {
        Fields f = new Fields();
        try (JsonParser p = JsonCodec.mapper().getFactory().createParser(json)) {
            f.read(p);
        } catch (IOException | RuntimeException e) {
            // counted below with what was read: the console shows traffic, not validation
        }
        if (f.latencyMs >= 0) {
            jobLatency.recordValue(Math.min(f.latencyMs, MAX_LATENCY_MS));
        }
        synchronized (this) {
            answers++;
            partial += f.partial ? 1 : 0;
            shed += f.shed ? 1 : 0;
            if (f.strategy != null) {
                String key =
                        f.strategy
                                + "\u0000"
                                + f.version
                                + "\u0000"
                                + (f.variant == null ? "" : f.variant);
                long[] c = byVariant.computeIfAbsent(key, k -> new long[2]);
                c[0]++;
                c[1] += f.partial ? 1 : 0;
            }
        }
    }

    /** One round trip of this gateway's own call, from arrival to answer. */
    void roundTrip(long nanos) {
        roundTrips.recordValue(Math.max(0, Math.min(nanos / 1000, MAX_LATENCY_MS * 1000)));
    }

    synchronized Second takeSecond() {
        Second s =
                new Second(
                        answers,
                        partial,
                        shed,
                        jobLatency.getIntervalHistogram(),
                        roundTrips.getIntervalHistogram());
        answers = 0;
        partial = 0;
        shed = 0;
        return s;
    }

    synchronized List<Served> served() {
        List<Served> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byVariant.entrySet()) {
            String[] k = e.getKey().split("\u0000", -1);
            out.add(
                    new Served(
                            k[0],
                            Integer.parseInt(k[1]),
                            k[2].isEmpty() ? null : k[2],
                            e.getValue()[0],
                            e.getValue()[1]));
        }
        return out;
    }

    /** The top-level fields of an answer the console needs; nested values are skipped. */
    private static final class Fields {
        String strategy;
        String variant;
        int version;
        boolean partial;
        boolean shed;
        long latencyMs = -1;

        void read(JsonParser p) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "strategy" -> strategy = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "variant" -> variant = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "strategyVersion" -> version = t.isNumeric() ? p.getIntValue() : 0;
                    case "partial" -> partial = t == JsonToken.VALUE_TRUE;
                    case "shed" -> shed = t == JsonToken.VALUE_TRUE;
                    case "latencyMs" -> latencyMs = t.isNumeric() ? p.getLongValue() : -1;
                    default -> p.skipChildren();
                }
            }
        }
    }
}
