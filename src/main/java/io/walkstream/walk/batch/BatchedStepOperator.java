package io.walkstream.walk.batch;

import io.walkstream.graph.ExpiringStepOperator;
import io.walkstream.model.Hop;
import io.walkstream.model.HopBatch;
import io.walkstream.walk.StepCounter;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.graph.StreamConfig;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.StreamTask;

/**
 * Runs a walk step's {@link KeyedCoProcessFunction} with batched transport on both sides.
 *
 * <p>In: when {@code batchedInput}, input 2 carries {@link HopBatch}es keyed by a route key of this
 * subtask; each hop is handed to the function under its own node key, exactly as if it had come
 * alone — state, timers and the walk's random numbers are the node's. Out: everything the function
 * emits while handling one record is grouped by {@link BatchingOutput} and sent when the record is
 * done. Event-time timers are not flushed one by one: a watermark fires the timers of every node
 * whose held walkers it releases and then goes downstream, and {@link BatchingOutput} flushes
 * before it, so the released walkers of all those nodes leave together. The function is unchanged
 * and does not know.
 *
 * <p>Rescaling: a batch only holds nodes of one subtask at the parallelism it was made for, so
 * in-flight batches must never be redistributed. Aligned checkpoints hold no in-flight records; the
 * job turns unaligned checkpoints off when batching is on. A hop whose key group is not here would
 * be a bug, and fails loudly rather than reading the wrong state.
 *
 * @param <IN1> graph updates
 * @param <IN2> the function's second input ({@link Hop}, or a request for the Seed step)
 * @param <OUT> the function's main output
 */
public final class BatchedStepOperator<IN1, IN2, OUT> extends ExpiringStepOperator<IN1, IN2, OUT> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<Hop> BY_NODE = Comparator.comparingLong(h -> h.node);

    private final String name;
    private final boolean batchedInput;

    private transient SubtaskRoutes routes;
    private transient BatchingOutput batching;
    private transient StreamRecord<Object> single;
    private transient KeyGroupRange localKeyGroups;
    private transient StepCounter batchesIn;

    /**
     * @param name the step's name, prefix of its counters ({@code <name>.batchesIn}, {@code
     *     <name>.recordsOut})
     * @param batchedInput whether input 2 carries {@link HopBatch}es
     */
    public BatchedStepOperator(
            KeyedCoProcessFunction<Long, IN1, IN2, OUT> function,
            String name,
            boolean batchedInput) {
        super(function);
        this.name = name;
        this.batchedInput = batchedInput;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected void setup(
            StreamTask<?, ?> containingTask,
            StreamConfig config,
            Output<StreamRecord<OUT>> output) {
        int maxP = containingTask.getEnvironment().getTaskInfo().getMaxNumberOfParallelSubtasks();
        int p = containingTask.getEnvironment().getTaskInfo().getNumberOfParallelSubtasks();
        routes = new SubtaskRoutes(maxP, p);
        batching = new BatchingOutput((Output) output, routes);
        super.setup(containingTask, config, (Output) batching);
    }

    @Override
    public void open() throws Exception {
        super.open();
        single = new StreamRecord<>(null);
        var task = getRuntimeContext().getTaskInfo();
        localKeyGroups =
                KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        task.getMaxNumberOfParallelSubtasks(),
                        task.getNumberOfParallelSubtasks(),
                        task.getIndexOfThisSubtask());
        batchesIn = StepCounter.register(getRuntimeContext(), name + ".batchesIn");
        batching.countWith(StepCounter.register(getRuntimeContext(), name + ".recordsOut"));
    }

    @Override
    public void processElement1(StreamRecord<IN1> element) throws Exception {
        super.processElement1(element);
        batching.flush();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement2(StreamRecord<IN2> element) throws Exception {
        if (!batchedInput) {
            super.processElement2(element);
            batching.flush();
            return;
        }
        batchesIn.inc();
        HopBatch batch = (HopBatch) (Object) element.getValue();
        // Node order puts a node's walker groups (one per seed they came from) next to each other:
        // the steps then read and weigh a node once for all of them. Each group's random numbers
        // come from its own seed, and Rank sums exactly, so the order never changes an answer.
        Arrays.sort(batch.hops, BY_NODE);
        for (Hop hop : batch.hops) {
            int keyGroup = routes.keyGroupOf(hop.node);
            if (!localKeyGroups.contains(keyGroup)) {
                throw new IllegalStateException(
                        "walker batch for node "
                                + hop.node
                                + " (key group "
                                + keyGroup
                                + ") reached the subtask owning "
                                + localKeyGroups
                                + ": batches were redistributed");
            }
            setCurrentKey(hop.node);
            if (element.hasTimestamp()) {
                single.replace(hop, element.getTimestamp());
            } else {
                single.replace(hop);
                single.eraseTimestamp();
            }
            super.processElement2((StreamRecord<IN2>) (StreamRecord<?>) single);
        }
        batching.flush();
    }

    /**
     * Nothing held may miss a checkpoint: the barrier follows everything this subtask has emitted.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        batching.flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void onProcessingTime(InternalTimer<Long, VoidNamespace> timer) throws Exception {
        super.onProcessingTime(timer);
        batching.flush();
    }

    @Override
    public void finish() throws Exception {
        batching.flush();
        super.finish();
    }
}
