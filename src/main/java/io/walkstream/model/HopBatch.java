package io.walkstream.model;

import io.walkstream.model.serial.MessageTypes;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Walker messages bound for one parallel instance of the next step, travelling as one record. A
 * step that moves a request's walkers sends tens to thousands of {@link Hop}s at once; grouped by
 * the subtask that owns their nodes, they cross the shuffle as a handful of records instead of one
 * each. {@link #route} is a key owned by that subtask (the stream is keyed by it); the receiving
 * operator then visits each hop under the hop's own node key ({@code
 * walk.batch.BatchedStepOperator}).
 */
@TypeInfo(MessageTypes.HopBatchInfo.class)
public class HopBatch {
    /** A key in the target subtask's key-group range: what the stream is partitioned by. */
    public long route;

    public Hop[] hops;

    public HopBatch() {}

    public HopBatch(long route, Hop[] hops) {
        this.route = route;
        this.hops = hops;
    }

    public long getRoute() {
        return route;
    }

    @Override
    public String toString() {
        return "HopBatch{route=" + route + " hops=" + (hops == null ? 0 : hops.length) + "}";
    }
}
