package io.walkstream.graph;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * Runs a graph step's function, and when its node state expires ({@link NodeExpiry.Owner}) arms the
 * expiry timers of nodes restored without one: state from a release that used Flink's state TTL, or
 * from a run with {@code graph.stateTtlMs} 0. That pass reads every node once, so it runs only when
 * the restored state does not say it is armed (a marker in union operator state, written by every
 * subtask whose step expires nodes, so it survives rescaling).
 *
 * @param <IN1> graph updates
 * @param <IN2> the function's second input
 * @param <OUT> the function's main output
 */
public class ExpiringStepOperator<IN1, IN2, OUT>
        extends KeyedCoProcessOperator<Long, IN1, IN2, OUT> {
    private static final long serialVersionUID = 1L;

    /** Timer service of {@link KeyedCoProcessOperator}: the function's timers. */
    private static final String TIMERS = "user-timers";

    private static final ListStateDescriptor<Boolean> ARMED =
            new ListStateDescriptor<>("node-expiry-armed", Types.BOOLEAN);

    private transient ListState<Boolean> armed;
    private transient boolean adopt;

    public ExpiringStepOperator(KeyedCoProcessFunction<Long, IN1, IN2, OUT> function) {
        super(function);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        armed = context.getOperatorStateStore().getUnionListState(ARMED);
        boolean wasArmed = false;
        for (Boolean b : armed.get()) {
            wasArmed |= b;
        }
        adopt = context.isRestored() && !wasArmed;
    }

    @Override
    public void open() throws Exception {
        super.open(); // opens the function: its states are registered
        NodeExpiry expiry = expiry();
        if (adopt && expiry != null) {
            InternalTimerService<VoidNamespace> timers =
                    getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
            expiry.adoptAll(
                    getKeyedStateBackend(),
                    timers.currentProcessingTime(),
                    t -> timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, t));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        armed.update(expiry() != null ? List.of(true) : List.of());
    }

    private NodeExpiry expiry() {
        return userFunction instanceof NodeExpiry.Owner o ? o.expiry() : null;
    }
}
