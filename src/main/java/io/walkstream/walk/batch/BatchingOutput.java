package io.walkstream.walk.batch;

import io.walkstream.model.Hop;
import io.walkstream.model.HopBatch;
import io.walkstream.model.RankInput;
import io.walkstream.walk.StepCounter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Sits between a walk step and Flink's output and holds what the step emits while it handles one
 * record: {@link Hop}s are grouped by the downstream subtask that owns their node and leave as one
 * {@link HopBatch} per subtask; inputs for Rank leave as one record per request ({@link
 * RankInputMerger}); anything else (graph updates) passes straight through. The operator calls
 * {@link #flush()} when the record is done, and watermarks flush first, so nothing is held across
 * records, watermarks or checkpoint barriers — checkpoints and exactly-once are untouched.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class BatchingOutput implements Output<StreamRecord<Object>> {
    private static final TypeInformation<HopBatch> BATCH_TYPE = TypeInformation.of(HopBatch.class);

    /**
     * Most hops in one batch (about 250 KB on the wire). A watermark that releases the walkers of
     * hundreds of waiting requests fires all their timers within one call: unbounded, that made one
     * batch of every walker group of every request, whose serialisation buffer kept a small
     * TaskManager in garbage collection until it missed its heartbeats.
     */
    static final int MAX_BATCH = 4096;

    private final Output<StreamRecord<Object>> out;
    private final SubtaskRoutes routes;
    private StepCounter recordsOut;

    /**
     * Per output (null: the main one), hops per target subtask; in the order the outputs were first
     * used.
     */
    private final Map<OutputTag<?>, List<Hop>[]> hops = new LinkedHashMap<>();

    private final Map<OutputTag<?>, RankInputMerger> toRank = new LinkedHashMap<>();
    private final Map<String, OutputTag<HopBatch>> batchTags = new HashMap<>();
    private final StreamRecord<Object> reusable = new StreamRecord<>(null);
    private long timestamp;
    private boolean hasTimestamp;
    private boolean holding;

    BatchingOutput(Output<StreamRecord<Object>> out, SubtaskRoutes routes) {
        this.out = out;
        this.routes = routes;
    }

    /** Counts the records sent on from now on (the runtime context exists only after setup). */
    void countWith(StepCounter counter) {
        this.recordsOut = counter;
    }

    @Override
    public void collect(StreamRecord<Object> record) {
        hold(null, record);
    }

    @Override
    public <X> void collect(OutputTag<X> tag, StreamRecord<X> record) {
        hold(tag, (StreamRecord) record);
    }

    private void hold(OutputTag<?> tag, StreamRecord<Object> record) {
        Object value = record.getValue();
        if (value instanceof Hop hop) {
            List<Hop>[] perSubtask = hops.get(tag);
            if (perSubtask == null) {
                perSubtask = new List[routes.parallelism()];
                hops.put(tag, perSubtask);
            }
            int s = routes.subtaskOf(hop.node);
            if (perSubtask[s] == null) {
                perSubtask[s] = new ArrayList<>();
            }
            perSubtask[s].add(hop);
            if (perSubtask[s].size() >= MAX_BATCH) {
                hasTimestamp = record.hasTimestamp();
                timestamp = record.getTimestamp();
                send(tag, s, perSubtask[s]);
            }
        } else if (value instanceof RankInput in) {
            RankInputMerger merger = toRank.get(tag);
            if (merger == null) {
                merger = new RankInputMerger();
                toRank.put(tag, merger);
            }
            merger.add(in);
        } else {
            emit(tag, record);
            return;
        }
        holding = true;
        hasTimestamp = record.hasTimestamp();
        timestamp = record.getTimestamp();
    }

    /** Sends what is held: one batch per (output, subtask), one record per (output, request). */
    void flush() {
        if (!holding) {
            return;
        }
        holding = false;
        for (Map.Entry<OutputTag<?>, List<Hop>[]> e : hops.entrySet()) {
            OutputTag<?> tag = e.getKey();
            List<Hop>[] perSubtask = e.getValue();
            for (int s = 0; s < perSubtask.length; s++) {
                List<Hop> held = perSubtask[s];
                if (held == null || held.isEmpty()) {
                    continue;
                }
                send(tag, s, held);
            }
        }
        for (Map.Entry<OutputTag<?>, RankInputMerger> e : toRank.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            for (RankInput in : e.getValue().drain()) {
                emit(e.getKey(), stamped(in));
            }
        }
    }

    /** One batch of {@code held} to subtask {@code s}; empties {@code held}. */
    private void send(OutputTag<?> tag, int s, List<Hop> held) {
        HopBatch batch = new HopBatch(routes.routeKey(s), held.toArray(new Hop[0]));
        held.clear();
        emit(tag == null ? null : batchTag(tag), stamped(batch));
    }

    private StreamRecord<Object> stamped(Object value) {
        if (hasTimestamp) {
            return reusable.replace(value, timestamp);
        }
        reusable.replace(value);
        reusable.eraseTimestamp();
        return reusable;
    }

    private OutputTag<HopBatch> batchTag(OutputTag<?> hopTag) {
        return batchTags.computeIfAbsent(hopTag.getId(), id -> new OutputTag<>(id, BATCH_TYPE));
    }

    private void emit(OutputTag<?> tag, StreamRecord<Object> record) {
        if (tag == null) {
            out.collect(record);
        } else {
            out.collect((OutputTag) tag, record);
        }
        if (recordsOut != null) {
            recordsOut.inc();
        }
    }

    @Override
    public void emitWatermark(Watermark mark) {
        flush();
        out.emitWatermark(mark);
    }

    @Override
    public void emitWatermark(WatermarkEvent event) {
        flush();
        out.emitWatermark(event);
    }

    @Override
    public void emitWatermarkStatus(WatermarkStatus status) {
        flush();
        out.emitWatermarkStatus(status);
    }

    @Override
    public void emitLatencyMarker(LatencyMarker marker) {
        flush();
        out.emitLatencyMarker(marker);
    }

    @Override
    public void emitRecordAttributes(RecordAttributes attributes) {
        flush();
        out.emitRecordAttributes(attributes);
    }

    /**
     * Closing is teardown (the operator's finish() has flushed on a clean end): nothing is sent
     * from here.
     */
    @Override
    public void close() {
        out.close();
    }
}
