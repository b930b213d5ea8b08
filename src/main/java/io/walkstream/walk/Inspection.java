package io.walkstream.walk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.graph.Edges;
import io.walkstream.graph.NodeLog;
import io.walkstream.model.Action;
import io.walkstream.model.RankInput;
import java.util.Arrays;

/**
 * Builds the parts of an {@code inspect} answer: what one step holds about a node, as JSON. Node
 * keys are shown as the hex of their 64-bit hash (only items keep their external ids, in Score);
 * {@code NodeIds.hash} of an id gives the same hex, to match them up.
 */
final class Inspection {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Recent edges listed per ring buffer. */
    static final int RECENT = 10;

    private Inspection() {}

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Counters and the most recent edges of one ring buffer. */
    static ObjectNode log(NodeLog header, Edges edges, long halfLifeMs, long now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("held", edges.size);
        n.put("degree", header == null ? 0 : header.appended);
        n.put("capacity", header == null ? 0 : header.capacity);
        n.put("decayedDegree", header == null ? 0 : header.decayedDegreeAt(now, halfLifeMs));
        n.put("lastTs", header == null ? 0 : header.lastTs);
        Integer[] idx = new Integer[edges.size];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(edges.ts[b], edges.ts[a]));
        ArrayNode recent = n.putArray("recent");
        for (int i = 0; i < Math.min(RECENT, idx.length); i++) {
            int e = idx[i];
            ObjectNode r = recent.addObject();
            r.put("node", hex(edges.nbr[e]));
            r.put("action", Action.ofCode(edges.action[e]).wireName());
            r.put("ts", edges.ts[e]);
            r.put("weight", edges.weight[e]);
        }
        return n;
    }

    static String hex(long key) {
        return String.format("%016x", key);
    }

    static RankInput part(long request, String name, ObjectNode json) {
        RankInput in = new RankInput();
        in.kind = RankInput.INSPECT_PART;
        in.request = request;
        in.itemId = name;
        in.inspect = json.toString();
        return in;
    }
}
