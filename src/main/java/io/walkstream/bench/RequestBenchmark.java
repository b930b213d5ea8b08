package io.walkstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Requests: the shop is preloaded, then ingest goes on at a fixed rate while requests arrive in
 * steps of rising rate. Each step reports the rate answered and the latency distribution (from a
 * request entering the job to its answer, as the job measures it); the highest step whose p99 stays
 * under the target, with every request answered in time, is the sustained rate. A first step at the
 * lowest rate warms the JIT up and is not reported.
 */
public final class RequestBenchmark {
    public record Step(
            double offeredPerSecond,
            long answered,
            double answeredPerSecond,
            double p50Ms,
            double p90Ms,
            double p99Ms,
            double p999Ms,
            double maxMs,
            double partialShare,
            double timedOutShare,
            double coresBusy,
            boolean sustained) {}

    public record Result(
            int walkers,
            double ingestPerSecond,
            double p99TargetMs,
            List<Step> steps,
            double sustainedPerSecond,
            List<Histogram> stepLatency,
            Series answers,
            Cost cost,
            Checkpoints checkpoints) {}

    /**
     * The run's checkpoints (preload included): how many completed, the longest and the median
     * end-to-end duration of the last few (the REST API keeps ten), and the full state the latest
     * holds — what a full heap snapshot has to write each time. Null without checkpoints or when
     * the REST API did not answer.
     */
    public record Checkpoints(long completed, long medianMs, long longestMs, long stateBytes) {
        static Checkpoints read(FlinkRest rest, JobClient client) {
            FlinkRest.Checkpoints c = rest.checkpointsOrNull(client.getJobID().toString(), -1);
            if (c == null || c.latest() == null) {
                return null;
            }
            long[] ms =
                    c.newlyCompleted().stream()
                            .mapToLong(FlinkRest.Checkpoint::durationMs)
                            .sorted()
                            .toArray();
            return new Checkpoints(
                    c.completed(),
                    ms.length == 0 ? 0 : ms[ms.length / 2],
                    ms.length == 0 ? 0 : ms[ms.length - 1],
                    c.latest().stateBytes());
        }
    }

    /**
     * What an answered request cost, averaged over the run (the job's counters): walker groups and
     * inputs handled by each step — the logical messages — and the records that actually crossed a
     * shuffle into it (the same as the messages without {@code walk.batching}).
     */
    public record Cost(double answered, double[] messages, double[] records) {
        static final String[] STEPS = {"item", "context", "score", "rank"};

        static Cost read(JobClient client, boolean batching) throws Exception {
            Map<String, Object> acc = client.getAccumulators().get(10, TimeUnit.SECONDS);
            double answered = Math.max(1, value(acc, "walkstream.rank.answered"));
            double[] messages = new double[4];
            double[] records = new double[4];
            for (int i = 0; i < 3; i++) {
                messages[i] = value(acc, "walkstream." + STEPS[i] + ".hopsIn") / answered;
                records[i] =
                        (batching
                                        ? value(acc, "walkstream." + STEPS[i] + ".batchesIn")
                                        : value(acc, "walkstream." + STEPS[i] + ".hopsIn"))
                                / answered;
            }
            messages[3] = value(acc, "walkstream.rank.inputs") / answered;
            records[3] = value(acc, "walkstream.rank.records") / answered;
            return new Cost(answered, messages, records);
        }

        private static double value(Map<String, Object> acc, String name) {
            return acc.get(name) instanceof Number n ? n.doubleValue() : 0;
        }
    }

    private RequestBenchmark() {}

    public static Result run(BenchSettings s, Consumer<String> progress) throws Exception {
        double[] rates = new double[s.requestRates.length + 1];
        rates[0] = s.requestRates[0];
        System.arraycopy(s.requestRates, 0, rates, 1, s.requestRates.length);
        BenchLocal.reset(rates.length, s.stepMs);
        int port = FlinkRest.freePort();
        StreamExecutionEnvironment env = LocalJob.env(s, port);
        LocalJob.shopWithAnswers(
                env, s, Pace.preloadThen(s.preload, s.ingestRate), Pace.steps(rates, s.stepMs));
        JobClient client = env.executeAsync("walkstream bench: requests");
        Series answers = new Series();
        Series cpu = new Series(); // process CPU ns over time, for the cores each step keeps busy
        Cost cost;
        Checkpoints checkpoints;
        try {
            Preload.await(client, s.preload, progress);
            watchSteps(client, rates, s.stepMs, answers, cpu, progress);
            cost = Cost.read(client, s.config.walk.batching);
            checkpoints = Checkpoints.read(new FlinkRest(port), client);
        } finally {
            LocalJob.cancel(client);
        }
        List<Step> steps = new ArrayList<>();
        double sustained = 0;
        List<Histogram> perStep = new ArrayList<>();
        for (int i = 1; i < rates.length; i++) {
            Step step = step(s, rates[i], i, cpu);
            steps.add(step);
            perStep.add(BenchLocal.answers.step(i).copy());
            if (step.sustained() && rates[i] > sustained) {
                sustained = rates[i];
            }
        }
        return new Result(
                s.walkers,
                s.ingestRate,
                s.p99TargetMs,
                steps,
                sustained,
                perStep,
                answers,
                cost,
                checkpoints);
    }

    /**
     * Every second until the last step's stragglers are in: answers so far, the process's CPU,
     * progress.
     */
    private static void watchSteps(
            JobClient client,
            double[] rates,
            long stepMs,
            Series answers,
            Series cpu,
            Consumer<String> progress)
            throws Exception {
        long start = System.currentTimeMillis();
        BenchLocal.scheduleStartMs = start;
        long end = start + rates.length * stepMs + 2_000; // the last step's stragglers
        long answeredBefore = 0;
        cpu.add(0, IngestBenchmark.processCpuNanos());
        while (System.currentTimeMillis() < end) {
            Thread.sleep(1000);
            if (!LocalJob.running(client)) {
                throw new IllegalStateException("the job stopped: " + client.getJobStatus().get());
            }
            long answered = 0;
            for (int i = 0; i < rates.length; i++) {
                answered += BenchLocal.answers.step(i).getTotalCount();
            }
            double t = (System.currentTimeMillis() - start) / 1000.0;
            answers.add(t, answered);
            cpu.add(t, IngestBenchmark.processCpuNanos());
            int step =
                    (int) Math.min(rates.length - 1, (System.currentTimeMillis() - start) / stepMs);
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "requests: step %d/%d at %.0f/s, %d answered in the last second",
                            step,
                            rates.length - 1,
                            rates[step],
                            answered - answeredBefore));
            answeredBefore = answered;
        }
    }

    /**
     * Step {@code i} at {@code rate}: its latency, partial and timed-out shares, the cores busy; it
     * is sustained when at least 95% of its requests were answered, with p99 within the target and
     * none timed out.
     */
    private static Step step(BenchSettings s, double rate, int i, Series cpu) {
        Histogram h = BenchLocal.answers.step(i);
        long n = h.getTotalCount();
        double seconds = s.stepMs / 1000.0;
        double partial = n == 0 ? 0 : BenchLocal.answers.partial(i) / (double) n;
        double timedOut = n == 0 ? 0 : BenchLocal.answers.timedOut(i) / (double) n;
        double p99 = ms(h, 99);
        boolean ok = n > 0 && n >= 0.95 * rate * seconds && p99 <= s.p99TargetMs && timedOut == 0;
        double busy = cpu.slope(i * seconds, (i + 1) * seconds) / 1e9;
        return new Step(
                rate,
                n,
                n / seconds,
                ms(h, 50),
                ms(h, 90),
                p99,
                ms(h, 99.9),
                h.getMaxValue() / 1000.0,
                partial,
                timedOut,
                busy,
                ok);
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
