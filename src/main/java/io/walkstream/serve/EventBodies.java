package io.walkstream.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.io.JsonCodec;
import io.walkstream.io.Parsed;
import io.walkstream.io.WireJson;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns the body of {@code POST /v1/events} (or a gRPC batch rendered as the same JSON) into
 * validated Kafka records. All or nothing: the first invalid event fails the whole batch with its
 * position and reason, and nothing is produced. Validation is {@link JsonCodec}'s, the same the job
 * applies, so an event the gateway accepts is never dead-lettered by the job.
 *
 * <pre>
 * one event:  {"user":"u:1","item":"i:9","action":"purchase"}    (an interaction, feedback or follow)
 *             {"item":"i:9","category":"shoes"}                     (item metadata: no user, no action)
 * a batch:    {"interactions":[…],"items":[…],"feedback":[…]}      (feedback: dislike, hide, impression)
 * </pre>
 */
final class EventBodies {
    private static final Set<String> BATCH_FIELDS = Set.of("interactions", "items", "feedback");

    private final String interactionsTopic;
    private final String itemsTopic;
    private final int maxEvents;

    EventBodies(String interactionsTopic, String itemsTopic, int maxEvents) {
        this.interactionsTopic = interactionsTopic;
        this.itemsTopic = itemsTopic;
        this.maxEvents = maxEvents;
    }

    List<OutgoingEvent> parse(JsonNode body, long now) {
        if (!(body instanceof ObjectNode obj)) {
            throw invalid("body: expected a JSON object");
        }
        boolean batch = false;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            batch |= BATCH_FIELDS.contains(it.next());
        }
        List<OutgoingEvent> out = new ArrayList<>();
        if (!batch) {
            if (obj.has("action")) {
                out.add(interaction(obj, "event", now, false));
            } else if (obj.has("item") && !obj.has("user")) {
                out.add(item(obj, "event", now));
            } else {
                throw invalid(
                        "event: cannot tell its kind: an interaction has user, item and action;"
                                + " item metadata has item and no user; a batch has interactions, items or feedback");
            }
            return out;
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!BATCH_FIELDS.contains(f)) {
                throw invalid(f + ": unknown field (a batch has interactions, items, feedback)");
            }
            if (!obj.get(f).isArray()) {
                throw invalid(f + ": expected an array");
            }
        }
        int total = size(obj, "interactions") + size(obj, "items") + size(obj, "feedback");
        if (total == 0) {
            throw invalid("batch: no events");
        }
        if (total > maxEvents) {
            throw invalid("batch: at most " + maxEvents + " events, got " + total);
        }
        each(obj, "interactions", (n, where) -> out.add(interaction(n, where, now, false)));
        each(obj, "items", (n, where) -> out.add(item(n, where, now)));
        each(obj, "feedback", (n, where) -> out.add(interaction(n, where, now, true)));
        return out;
    }

    private OutgoingEvent interaction(JsonNode n, String where, long now, boolean feedbackOnly) {
        Parsed<Event> p = JsonCodec.parseInteraction(bytes(n, where), now);
        if (!p.isOk()) {
            throw invalid(where + ": " + p.error());
        }
        Event e = p.value();
        Action.Role role = e.actionType().role();
        if (feedbackOnly && role != Action.Role.NEGATIVE && role != Action.Role.SERVED) {
            throw invalid(
                    where
                            + ": feedback is dislike, hide or impression, got "
                            + e.actionType().wireName());
        }
        return new OutgoingEvent(interactionsTopic, e.user, WireJson.interaction(e));
    }

    private OutgoingEvent item(JsonNode n, String where, long now) {
        Parsed<Event> p = JsonCodec.parseItem(bytes(n, where), now);
        if (!p.isOk()) {
            throw invalid(where + ": " + p.error());
        }
        return new OutgoingEvent(itemsTopic, p.value().item, WireJson.item(p.value()));
    }

    private static byte[] bytes(JsonNode n, String where) {
        if (!n.isObject()) {
            throw invalid(where + ": expected a JSON object");
        }
        return JsonCodec.write(n);
    }

    private interface Visitor {
        void visit(JsonNode n, String where);
    }

    private static void each(ObjectNode obj, String field, Visitor v) {
        JsonNode a = obj.get(field);
        if (a == null) {
            return;
        }
        for (int i = 0; i < a.size(); i++) {
            v.visit(a.get(i), field + "[" + i + "]");
        }
    }

    private static int size(ObjectNode obj, String field) {
        JsonNode a = obj.get(field);
        return a == null ? 0 : a.size();
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(GatewayException.Kind.INVALID, message);
    }
}
