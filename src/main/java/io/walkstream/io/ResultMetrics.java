package io.walkstream.io;

import io.walkstream.model.Recommendation;
import io.walkstream.walk.StepCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Histogram;

/**
 * Counts answers on their way to the sink and records their latency ({@code
 * walkstream.results.latencyMs}, request's Kafka timestamp → answer), the figure a client sees
 * minus the final Kafka hop.
 */
public class ResultMetrics extends RichMapFunction<Recommendation, Recommendation> {
    private static final long serialVersionUID = 1L;

    private transient StepCounter answered;
    private transient StepCounter partial;
    private transient StepCounter timedOut;
    private transient Histogram latency;

    @Override
    public void open(OpenContext openContext) {
        answered = StepCounter.register(getRuntimeContext(), "results.answered");
        partial = StepCounter.register(getRuntimeContext(), "results.partial");
        timedOut = StepCounter.register(getRuntimeContext(), "results.timedOut");
        latency =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("walkstream")
                        .histogram("results.latencyMs", new HdrHistogramMetric());
    }

    @Override
    public Recommendation map(Recommendation r) {
        answered.inc();
        if (r.partial) {
            partial.inc();
        }
        if (r.timedOut) {
            timedOut.inc();
        }
        latency.update(r.latencyMs);
        return r;
    }
}
