package io.walkstream.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.model.Event;
import io.walkstream.model.Request;

/**
 * The inverse of {@link JsonCodec}'s parsers: an {@link Event} or {@link Request} in the JSON form
 * its topic expects. Used by producers (the demo generator, the request client, tests).
 */
public final class WireJson {
    private WireJson() {}

    /** An interaction or follow for the interactions topic. */
    public static byte[] interaction(Event e) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("user", e.user);
        if (e.kind == Event.FOLLOW) {
            n.put("action", "follow");
            n.put("followee", e.followee);
        } else {
            n.put("item", e.item);
            n.put("action", e.actionType().wireName());
            if (e.weight != 1f) {
                n.put("weight", e.weight);
            }
        }
        n.put("ts", e.ts);
        return JsonCodec.write(n);
    }

    /** Item metadata for the items topic. */
    public static byte[] item(Event e) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("item", e.item);
        if (e.category != null) {
            n.put("category", e.category);
        }
        if (e.brand != null) {
            n.put("brand", e.brand);
        }
        if (e.tags != null) {
            ArrayNode tags = n.putArray("tags");
            for (String t : e.tags) {
                tags.add(t);
            }
        }
        if (e.embedding != null) {
            ArrayNode v = n.putArray("embedding");
            for (float f : e.embedding) {
                v.add(f);
            }
        }
        if (e.model != null) {
            n.put("model", e.model);
        }
        n.put("ts", e.ts);
        return JsonCodec.write(n);
    }

    /** Either of the above, by the event's kind. */
    public static byte[] event(Event e) {
        return e.kind == Event.ITEM ? item(e) : interaction(e);
    }

    public static byte[] request(Request r) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("requestId", r.requestId);
        if (r.user != null) {
            n.put("user", r.user);
        }
        if (r.item != null) {
            n.put("item", r.item);
        }
        if (r.k > 0) {
            n.put("k", r.k);
        }
        if (r.inspect != null) {
            n.put("inspect", r.inspect);
        }
        if (r.channel != null) {
            n.put("channel", r.channel);
        }
        if (r.variant != null) {
            n.put("variant", r.variant);
        }
        if (r.ts > 0) {
            n.put("ts", r.ts);
        }
        if (r.walkers > 0) {
            n.put("walkers", r.walkers);
        }
        if (r.timeoutMs > 0) {
            n.put("timeoutMs", r.timeoutMs);
        }
        if (r.exclude != null) {
            ArrayNode a = n.putArray("exclude");
            for (String s : r.exclude) {
                a.add(s);
            }
        }
        if (r.candidates != null) {
            ArrayNode a = n.putArray("candidates");
            for (String s : r.candidates) {
                a.add(s);
            }
        }
        return JsonCodec.write(n);
    }
}
