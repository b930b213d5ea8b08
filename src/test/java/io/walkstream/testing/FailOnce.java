package io.walkstream.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Test-only fault: a pass-through map that throws once, in one subtask, after a checkpoint has
 * completed and after it has passed {@code afterRecords} records — so the job must restore state
 * from a real checkpoint and replay the source from there. The "already failed" flag is shared per
 * {@code token} in the JVM (MiniCluster), so the restarted task does not fail again.
 */
public final class FailOnce<T> extends RichMapFunction<T, T> implements CheckpointListener {
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    private final String token;
    private final long afterRecords;
    private transient long seen;
    private transient boolean checkpointed;

    public FailOnce(String token, long afterRecords) {
        this.token = token;
        this.afterRecords = afterRecords;
        FAILED.put(token, new AtomicBoolean());
    }

    public static boolean hasFailed(String token) {
        return FAILED.get(token).get();
    }

    @Override
    public void open(OpenContext ctx) {
        seen = 0;
        checkpointed = false;
    }

    @Override
    public T map(T value) {
        seen++;
        if (checkpointed
                && seen >= afterRecords
                && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0
                && FAILED.get(token).compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure (test) after " + seen + " records");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
