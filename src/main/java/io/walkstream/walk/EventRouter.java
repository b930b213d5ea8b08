package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.NodeIds;
import java.util.Arrays;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each input event into updates for the steps that hold the affected halves of the graph. An
 * interaction (user u, item i) updates: u's behaviour in Seed (main output), i's contexts in Item,
 * u's items in Context, i's facts in Score. Item metadata goes to Item, which diffs the attribute
 * set and forwards only new attribute edges, so re-sent metadata never duplicates edges.
 */
public class EventRouter extends ProcessFunction<Event, GraphUpdate> {
    private final int maxAttributes;

    public EventRouter(JobConfig cfg) {
        this.maxAttributes = cfg.graph.maxAttributes;
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<GraphUpdate> seed) {
        switch (e.kind) {
            case Event.INTERACTION -> routeInteraction(e, ctx, seed);
            case Event.FOLLOW ->
                    seed.collect(
                            GraphUpdate.of(
                                    GraphUpdate.FOLLOW,
                                    NodeIds.hash(e.user),
                                    NodeIds.hash(e.followee),
                                    e.ts));
            case Event.ITEM -> routeItem(e, ctx);
            default ->
                    throw new IllegalStateException(
                            "unknown event kind " + e.kind); // validated upstream
        }
    }

    private static void routeInteraction(Event e, Context ctx, Collector<GraphUpdate> seed) {
        long user = NodeIds.hash(e.user);
        long item = NodeIds.hash(e.item);
        Action action = e.actionType();
        switch (action.role()) {
            case EDGE -> {
                seed.collect(
                        GraphUpdate.edge(user, GraphUpdate.USER, item, action, e.ts, e.weight));
                ctx.output(
                        Routes.TO_ITEM,
                        GraphUpdate.edge(
                                item, GraphUpdate.ITEM_NODE, user, action, e.ts, e.weight));
                ctx.output(
                        Routes.TO_CONTEXT,
                        GraphUpdate.edge(user, GraphUpdate.USER, item, action, e.ts, e.weight));
                GraphUpdate facts =
                        GraphUpdate.edge(item, GraphUpdate.ITEM_NODE, user, action, e.ts, e.weight);
                facts.id = e.item;
                ctx.output(Routes.TO_SCORE, facts);
            }
            case NEGATIVE -> seed.collect(GraphUpdate.of(GraphUpdate.NEGATIVE, user, item, e.ts));
            case SERVED -> seed.collect(GraphUpdate.of(GraphUpdate.SERVED, user, item, e.ts));
            case FOLLOW ->
                    seed.collect(
                            GraphUpdate.of(
                                    GraphUpdate.FOLLOW, user, NodeIds.hash(e.followee), e.ts));
        }
    }

    private void routeItem(Event e, Context ctx) {
        long item = NodeIds.hash(e.item);
        // A record with a vector and no attributes is a model's vector update (e.g. from the
        // trainer's publisher): it leaves the item's category, brand and tags as they are.
        boolean vectorOnly =
                e.embedding != null && e.category == null && e.brand == null && e.tags == null;
        if (!vectorOnly) {
            routeAttributes(e, item, ctx);
        }
        if (e.embedding != null) {
            GraphUpdate emb = GraphUpdate.of(GraphUpdate.EMBEDDING, item, 0, e.ts);
            emb.id = e.item;
            emb.vector = e.embedding;
            emb.model = e.model;
            ctx.output(Routes.TO_SCORE, emb);
            ctx.output(
                    Routes.TO_ITEM, emb); // Item keeps the vector's bucket (embedding neighbours)
        }
    }

    private void routeAttributes(Event e, long item, Context ctx) {
        GraphUpdate attrs =
                GraphUpdate.of(
                        GraphUpdate.ATTRIBUTES,
                        item,
                        e.category == null ? 0 : NodeIds.hash(NodeIds.category(e.category)),
                        e.ts);
        attrs.id = e.item;
        attrs.attrs = attributeKeys(e, maxAttributes);
        ctx.output(Routes.TO_ITEM, attrs);
        GraphUpdate meta = GraphUpdate.of(GraphUpdate.ITEM_META, item, 0, e.ts);
        meta.id = e.item;
        meta.category = e.category;
        meta.brand = e.brand;
        ctx.output(Routes.TO_SCORE, meta);
    }

    /** Category, brand and tags as context keys, deduplicated, at most {@code max}. */
    public static long[] attributeKeys(Event e, int max) {
        long[] keys = new long[Math.min(max, 2 + (e.tags == null ? 0 : e.tags.length))];
        int n = 0;
        if (e.category != null && n < keys.length) {
            keys[n++] = NodeIds.hash(NodeIds.category(e.category));
        }
        if (e.brand != null && n < keys.length) {
            keys[n++] = NodeIds.hash(NodeIds.brand(e.brand));
        }
        if (e.tags != null) {
            for (String t : e.tags) {
                if (n == keys.length) {
                    break;
                }
                long k = NodeIds.hash(NodeIds.tag(t));
                boolean dup = false;
                for (int j = 0; j < n && !dup; j++) {
                    dup = keys[j] == k;
                }
                if (!dup) {
                    keys[n++] = k;
                }
            }
        }
        return Arrays.copyOf(keys, n);
    }
}
