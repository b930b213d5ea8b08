package io.walkstream.cli;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster check's input, a pure function of its sizes: item metadata, then interactions one
 * second of event time apart (skewed item popularity, mixed actions), then requests for the
 * stream's users stamped after the last interaction. Requests come last on purpose: under {@code
 * WATERMARK} alignment an item's degree counts every interaction the job has seen so far, even
 * later-stamped ones, so only answers given on the complete graph are comparable with a reference.
 */
final class ClusterWorkload {
    static final long T0 = 1_700_000_000_000L;
    private static final Action[] ACTIONS = {
        Action.VIEW, Action.VIEW, Action.CLICK, Action.LIKE, Action.CART, Action.PURCHASE
    };

    /** One record of the timeline: an event or a request. */
    record Entry(Event event, Request request) {}

    final List<Event> items = new ArrayList<>();
    final List<Entry> timeline = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();

    ClusterWorkload(int users, int itemCount, int interactions, int requestCount) {
        for (int i = 0; i < itemCount; i++) {
            Event e = Event.item("i" + i, "cat" + (i % 7), null, null, null, T0 - 1000);
            items.add(e);
            events.add(e);
        }
        for (int k = 0; k < interactions; k++) {
            long h = mix(k);
            double u = Math.floorMod(h >>> 20, 1_000_000L) / 1_000_000.0;
            Event e =
                    Event.interaction(
                            "u" + Math.floorMod(h, (long) users),
                            "i" + (int) (itemCount * u * u),
                            ACTIONS[(int) Math.floorMod(h >>> 40, (long) ACTIONS.length)],
                            T0 + k * 1000L);
            events.add(e);
            timeline.add(new Entry(e, null));
        }
        for (int n = 0; n < requestCount; n++) {
            Request r =
                    Request.forUser(
                            "cluster-r" + n, "u" + (n % users), 10, T0 + interactions * 1000L + n);
            r.walkers = 2000;
            requests.add(r);
            timeline.add(new Entry(null, r));
        }
    }

    private static long mix(long x) {
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return (x ^ (x >>> 31)) & Long.MAX_VALUE;
    }
}
