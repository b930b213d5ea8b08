package io.walkstream.io;

import org.HdrHistogram.Histogram;
import org.apache.flink.metrics.HistogramStatistics;

/**
 * A Flink histogram metric backed by HdrHistogram: constant memory, O(1) updates, accurate tail
 * quantiles (3 significant digits). Values are clamped to [0, 1 hour] (milliseconds). Updated by
 * the task thread and read by the metric reporter thread, hence the synchronisation.
 */
public class HdrHistogramMetric implements org.apache.flink.metrics.Histogram {
    private static final long MAX = 3_600_000L;

    private final Histogram histogram = new Histogram(MAX, 3);

    @Override
    public synchronized void update(long value) {
        histogram.recordValue(Math.max(0, Math.min(MAX, value)));
    }

    @Override
    public synchronized long getCount() {
        return histogram.getTotalCount();
    }

    @Override
    public synchronized HistogramStatistics getStatistics() {
        return new Snapshot(histogram.copy());
    }

    /** An immutable copy, so a reporter reads consistent figures. */
    private static final class Snapshot extends HistogramStatistics {
        private final Histogram h;

        Snapshot(Histogram h) {
            this.h = h;
        }

        @Override
        public double getQuantile(double quantile) {
            return h.getValueAtPercentile(quantile * 100);
        }

        @Override
        public long[] getValues() {
            // Reporters only need quantiles; recorded values are not kept (that is the point of
            // HdrHistogram).
            return h.getTotalCount() == 0
                    ? new long[0]
                    : new long[] {h.getMinValue(), h.getValueAtPercentile(50), h.getMaxValue()};
        }

        @Override
        public int size() {
            return (int) Math.min(Integer.MAX_VALUE, h.getTotalCount());
        }

        @Override
        public double getMean() {
            return h.getMean();
        }

        @Override
        public double getStdDev() {
            return h.getStdDeviation();
        }

        @Override
        public long getMax() {
            return h.getMaxValue();
        }

        @Override
        public long getMin() {
            return h.getTotalCount() == 0 ? 0 : h.getMinValue();
        }
    }
}
