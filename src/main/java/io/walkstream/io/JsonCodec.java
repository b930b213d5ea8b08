package io.walkstream.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.model.Validation;
import java.io.IOException;
import java.util.List;

/**
 * The JSON forms of the topics, strict: unknown fields, wrong types (no "12" for 12, no 1.5 for an
 * integer), trailing tokens and duplicate keys are errors, so a bad record is rejected with a
 * reason instead of being half-understood. Thread-safe.
 *
 * <pre>
 * interactions: {"user":"u:1","item":"i:9","action":"purchase","ts":1700000000000,"weight":1.0}
 *               {"user":"u:1","action":"follow","followee":"u:7","ts":1700000000000}
 * items:        {"item":"i:9","category":"shoes","brand":"acme","tags":["running"],"embedding":[0.1,-0.3],"model":"sage-1","ts":1700000000000}
 * requests:     {"requestId":"r-1","user":"u:1","k":20,"channel":"home","ts":1700000000000}
 * </pre>
 *
 * A missing {@code ts} means "now" (the parser's wall clock).
 */
public final class JsonCodec {
    /** Largest record accepted, in bytes. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .serializationInclusion(JsonInclude.Include.NON_NULL)
                    // Ids are strings: without this Jackson quietly turns {"user":42} into "42".
                    .withCoercionConfig(
                            LogicalType.Textual,
                            c ->
                                    c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                            .setCoercion(
                                                    CoercionInputShape.Float, CoercionAction.Fail)
                                            .setCoercion(
                                                    CoercionInputShape.Boolean,
                                                    CoercionAction.Fail))
                    .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(16)
                                .maxStringLength(MAX_RECORD_BYTES)
                                .maxNumberLength(64)
                                .build());
    }

    private JsonCodec() {}

    /** Wire form of the interactions topic. */
    record InteractionJson(
            String user, String item, String action, Long ts, Float weight, String followee) {}

    /** Wire form of the items topic. */
    record ItemJson(
            String item,
            String category,
            String brand,
            String[] tags,
            float[] embedding,
            String model,
            Long ts) {}

    public static Parsed<Event> parseInteraction(byte[] bytes) {
        return parseInteraction(bytes, System.currentTimeMillis());
    }

    public static Parsed<Event> parseInteraction(byte[] bytes, long now) {
        String tooBig = sizeProblem(bytes);
        if (tooBig != null) {
            return Parsed.rejected(tooBig);
        }
        InteractionJson j;
        try {
            j = MAPPER.readValue(bytes, InteractionJson.class);
        } catch (IOException e) {
            return Parsed.rejected(reason(e));
        }
        if (j == null) {
            return Parsed.rejected("not a JSON object");
        }
        Action action = Action.parse(j.action());
        if (j.action() == null) {
            return Parsed.rejected("action: missing");
        }
        if (action == null) {
            return Parsed.rejected(
                    "action: unknown action '"
                            + clip(j.action())
                            + "' (one of "
                            + "view, click, like, cart, purchase, share, rate, dislike, hide, impression, follow)");
        }
        long ts = j.ts() == null ? now : j.ts();
        Event e;
        if (action == Action.FOLLOW) {
            if (j.item() != null) {
                return Parsed.rejected("item: a follow names a followee, not an item");
            }
            e = Event.follow(j.user(), j.followee(), ts);
        } else {
            if (j.followee() != null) {
                return Parsed.rejected("followee: only a follow has a followee");
            }
            e =
                    Event.interaction(
                            j.user(), j.item(), action, ts, j.weight() == null ? 1f : j.weight());
        }
        return validated(e);
    }

    public static Parsed<Event> parseItem(byte[] bytes) {
        return parseItem(bytes, System.currentTimeMillis());
    }

    public static Parsed<Event> parseItem(byte[] bytes, long now) {
        String tooBig = sizeProblem(bytes);
        if (tooBig != null) {
            return Parsed.rejected(tooBig);
        }
        ItemJson j;
        try {
            j = MAPPER.readValue(bytes, ItemJson.class);
        } catch (IOException e) {
            return Parsed.rejected(reason(e));
        }
        if (j == null) {
            return Parsed.rejected("not a JSON object");
        }
        Event e =
                Event.item(
                        j.item(),
                        j.category(),
                        j.brand(),
                        j.tags(),
                        j.embedding(),
                        j.ts() == null ? now : j.ts());
        e.model = j.model();
        return validated(e);
    }

    /**
     * An items record, with the job's rule on supplied vector dimensions (see {@link
     * Validation#checkDimension}).
     */
    public static Parsed<Event> parseItem(byte[] bytes, long now, int exactDim, int maxDim) {
        Parsed<Event> p = parseItem(bytes, now);
        if (!p.isOk()) {
            return p;
        }
        List<String> problems = Validation.checkDimension(p.value(), exactDim, maxDim);
        return problems.isEmpty() ? p : Parsed.rejected(String.join("; ", problems));
    }

    public static Parsed<Request> parseRequest(byte[] bytes, int maxK) {
        return parseRequest(bytes, maxK, System.currentTimeMillis());
    }

    public static Parsed<Request> parseRequest(byte[] bytes, int maxK, long now) {
        String tooBig = sizeProblem(bytes);
        if (tooBig != null) {
            return Parsed.rejected(tooBig);
        }
        Request r;
        try {
            r = MAPPER.readValue(bytes, Request.class);
        } catch (IOException e) {
            return Parsed.rejected(reason(e));
        }
        if (r == null) {
            return Parsed.rejected("not a JSON object");
        }
        if (r.ts == 0) {
            r.ts = now;
        }
        List<String> problems = Validation.check(r, maxK);
        return problems.isEmpty() ? Parsed.ok(r) : Parsed.rejected(String.join("; ", problems));
    }

    private static Parsed<Event> validated(Event e) {
        List<String> problems = Validation.check(e);
        return problems.isEmpty() ? Parsed.ok(e) : Parsed.rejected(String.join("; ", problems));
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static Recommendation readRecommendation(byte[] bytes) throws IOException {
        return MAPPER.readValue(bytes, Recommendation.class);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String sizeProblem(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return "empty record";
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            return "record of " + bytes.length + " bytes exceeds " + MAX_RECORD_BYTES;
        }
        return null;
    }

    /** Jackson's message without the source excerpt, which could echo a huge or binary payload. */
    private static String reason(IOException e) {
        String m =
                e instanceof JsonProcessingException jpe
                        ? jpe.getOriginalMessage()
                        : e.getMessage();
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            // The innermost named field: for a bad array element ("tags":[[1]]) that is the array's
            // field.
            String field = null;
            for (int i = jme.getPath().size() - 1; i >= 0 && field == null; i--) {
                field = jme.getPath().get(i).getFieldName();
            }
            if (field != null) {
                m = field + ": " + m;
            }
        }
        return "invalid JSON: " + clip(m == null ? e.getClass().getSimpleName() : m);
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
