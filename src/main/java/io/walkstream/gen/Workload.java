package io.walkstream.gen;

import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.util.List;

/**
 * What a feeder sends: events (interactions and item metadata) and requests, in order. Not
 * thread-safe.
 */
public interface Workload {
    /**
     * The next events at wall-clock {@code now}: item metadata first, then one interaction; empty
     * when exhausted.
     */
    List<Event> nextEvents(long now);

    /** A request at wall-clock {@code now}, or null if none can be made yet. */
    Request nextRequest(long now, int k);

    /** True when a finite log has been replayed completely. */
    boolean exhausted();
}
