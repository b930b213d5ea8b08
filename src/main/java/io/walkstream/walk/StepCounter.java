package io.walkstream.walk;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * A count kept twice: as a Flink metric (live: web UI, Prometheus) and as an accumulator (summed
 * over subtasks into the job result, so tests and benchmarks can read what a request cost).
 */
public final class StepCounter {
    private final Counter metric;
    private final LongCounter total;

    private StepCounter(Counter metric, LongCounter total) {
        this.metric = metric;
        this.total = total;
    }

    /** Registers {@code walkstream.<name>} on the operator's metric group and as an accumulator. */
    public static StepCounter register(RuntimeContext ctx, String name) {
        Counter metric = ctx.getMetricGroup().addGroup("walkstream").counter(name);
        LongCounter total = new LongCounter();
        ctx.addAccumulator("walkstream." + name, total);
        return new StepCounter(metric, total);
    }

    public void add(long n) {
        metric.inc(n);
        total.add(n);
    }

    public void inc() {
        add(1);
    }
}
