package io.walkstream.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A cumulative count sampled over time: throughput over time, and the steady rate between two
 * fractions of the total.
 */
public final class Series {
    public final List<Double> seconds = new ArrayList<>();
    public final List<Long> counts = new ArrayList<>();

    public void add(double second, long count) {
        seconds.add(second);
        counts.add(count);
    }

    /**
     * Rate per second between the first samples at or past {@code from} and {@code to} of {@code
     * total}.
     */
    public double rateBetween(double from, double to, long total) {
        int a = firstAtLeast((long) (from * total)), b = firstAtLeast((long) (to * total));
        if (a < 0 || b <= a) {
            return Double.NaN;
        }
        return (counts.get(b) - counts.get(a)) / (seconds.get(b) - seconds.get(a));
    }

    /** Average rate between two times (seconds), from the samples nearest inside the window. */
    public double slope(double from, double to) {
        int a = -1, b = -1;
        for (int i = 0; i < seconds.size(); i++) {
            if (a < 0 && seconds.get(i) >= from) {
                a = i;
            }
            if (seconds.get(i) <= to) {
                b = i;
            }
        }
        if (a < 0 || b <= a) {
            return Double.NaN;
        }
        return (counts.get(b) - counts.get(a)) / (seconds.get(b) - seconds.get(a));
    }

    /** Per-interval rates, for the throughput chart. */
    public List<double[]> rates() {
        List<double[]> out = new ArrayList<>();
        for (int i = 1; i < counts.size(); i++) {
            double dt = seconds.get(i) - seconds.get(i - 1);
            if (dt > 0) {
                out.add(new double[] {seconds.get(i), (counts.get(i) - counts.get(i - 1)) / dt});
            }
        }
        return out;
    }

    private int firstAtLeast(long n) {
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) >= n) {
                return i;
            }
        }
        return -1;
    }
}
