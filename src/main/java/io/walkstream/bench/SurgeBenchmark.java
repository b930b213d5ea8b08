package io.walkstream.bench;

import io.walkstream.config.WalkConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Surge: after the preload, with ingest going on, requests at a base rate (the sustainable one,
 * from the requests scenario), then twice that for a minute, then the base rate again, in
 * one-second steps. Admission is on at the base rate ({@code walk.maxRequestsPerSecond}, unless the
 * configuration sets it), so the excess must get shed answers at once while admitted requests keep
 * their latency; every request must be answered, and p99 must be back under the target within
 * seconds of the surge's end. The first seconds at the base rate warm the JIT up and are not
 * reported.
 */
public final class SurgeBenchmark {
    /** How soon after the surge p99 must be back under the target. */
    static final int RECOVERY_SECONDS = 5;

    /** Phases, in seconds. */
    public record Phases(int warm, int before, int surge, int after) {
        int total() {
            return warm + before + surge + after;
        }

        int surgeStart() {
            return warm + before;
        }

        int surgeEnd() {
            return warm + before + surge;
        }
    }

    /**
     * One second of the schedule: the rate scheduled, the requests the source emitted in it (fewer
     * when the job back-pressures its own source), by when they entered the job the admitted
     * answers with their latency and the shed ones, and whether a checkpoint ran during it.
     */
    public record Second(
            int second,
            double scheduled,
            long emitted,
            long admitted,
            long shed,
            double p50Ms,
            double p99Ms,
            boolean checkpointing) {}

    public record Result(
            double baseRate,
            double admissionRate,
            long deadlineMs,
            double p99TargetMs,
            Phases phases,
            List<Second> seconds,
            long scheduled,
            long requests,
            long answered,
            long shed,
            double surgeAdmittedPerSecond,
            double surgeShedPerSecond,
            double surgeAdmittedP99Ms,
            double beforeP99Ms,
            double afterP99Ms,
            double recoverySeconds) {

        public long unanswered() {
            return Math.max(0, requests - answered);
        }

        /** Admitted requests kept p99 within their deadline during the surge. */
        public boolean withinDeadline() {
            return surgeAdmittedP99Ms <= deadlineMs;
        }

        /** p99 was back under the target at most 5 s after the surge, and stayed there. */
        public boolean recovered() {
            return recoverySeconds <= RECOVERY_SECONDS;
        }
    }

    private SurgeBenchmark() {}

    public static Result run(
            BenchSettings s, double baseRate, Phases phases, Consumer<String> progress)
            throws Exception {
        WalkConfig walk = s.config.walk;
        double configured = walk.maxRequestsPerSecond;
        double admission = configured > 0 ? configured : baseRate;
        walk.maxRequestsPerSecond = admission;
        try {
            return measure(s, baseRate, admission, phases, progress);
        } finally {
            walk.maxRequestsPerSecond = configured;
        }
    }

    private static Result measure(
            BenchSettings s,
            double baseRate,
            double admission,
            Phases phases,
            Consumer<String> progress)
            throws Exception {
        double[] rates = schedule(baseRate, phases);
        BenchLocal.reset(rates.length, 1000);
        int port = FlinkRest.freePort();
        StreamExecutionEnvironment env = LocalJob.env(s, port);
        LocalJob.shopWithAnswers(
                env, s, Pace.preloadThen(s.preload, s.ingestRate), Pace.steps(rates, 1000));
        JobClient client = env.executeAsync("walkstream bench: surge");
        long[] emittedBy = new long[rates.length];
        boolean[] checkpointing;
        try {
            Preload.await(client, s.preload, progress);
            watch(client, rates, s.config.walk.timeoutMs, emittedBy, progress);
            checkpointing =
                    checkpointing(
                            checkpoints(new FlinkRest(port), client),
                            BenchLocal.scheduleStartMs,
                            rates.length);
        } finally {
            LocalJob.cancel(client);
        }
        return result(s, baseRate, admission, phases, rates, emittedBy, checkpointing);
    }

    /** The base rate, twice that during the surge, the base rate again: one rate per second. */
    static double[] schedule(double baseRate, Phases phases) {
        double[] rates = new double[phases.total()];
        for (int i = 0; i < rates.length; i++) {
            boolean surge = i >= phases.surgeStart() && i < phases.surgeEnd();
            rates[i] = surge ? 2 * baseRate : baseRate;
        }
        return rates;
    }

    /**
     * Until the schedule is over and the last requests' deadline has passed, with progress; {@code
     * emittedBy[i]}: requests emitted by the end of second i.
     */
    private static void watch(
            JobClient client,
            double[] rates,
            long deadlineMs,
            long[] emittedBy,
            Consumer<String> progress)
            throws Exception {
        long start = System.currentTimeMillis();
        BenchLocal.scheduleStartMs = start;
        long end = start + rates.length * 1000L + deadlineMs + 2_000;
        while (System.currentTimeMillis() < end) {
            Thread.sleep(1000);
            if (!LocalJob.running(client)) {
                throw new IllegalStateException("the job stopped: " + client.getJobStatus().get());
            }
            long elapsed = System.currentTimeMillis() - start;
            int second = (int) Math.min(rates.length - 1, elapsed / 1000);
            recordEmitted(
                    emittedBy,
                    (int) Math.min(rates.length - 1, elapsed / 1000 - 1),
                    BenchLocal.requestsEmitted.sum());
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "surge: second %d/%d at %.0f requests/s, %,d answered, %,d shed",
                            second + 1,
                            rates.length,
                            rates[second],
                            BenchLocal.answers.total(),
                            BenchLocal.answers.shedTotal()));
        }
    }

    /**
     * A reading of the requests emitted so far, taken once second {@code done} is over: it is the
     * count by the end of that second and, until a later reading, of every second after it (so a
     * second the watch overslept gets the reading before it, and the source's late requests after
     * the schedule count in its last second).
     */
    static void recordEmitted(long[] emittedBy, int done, long emitted) {
        for (int i = Math.max(0, done); i < emittedBy.length; i++) {
            emittedBy[i] = emitted;
        }
    }

    /**
     * The job's completed checkpoints still in the REST API's history; none if it did not answer.
     */
    private static List<FlinkRest.Checkpoint> checkpoints(FlinkRest rest, JobClient client) {
        FlinkRest.Checkpoints c = rest.checkpointsOrNull(client.getJobID().toString(), -1);
        return c == null ? List.of() : c.newlyCompleted();
    }

    /**
     * For each second of the schedule that began at {@code startMs}: whether one of the checkpoints
     * ran (from its trigger to its end) during it.
     */
    static boolean[] checkpointing(List<FlinkRest.Checkpoint> done, long startMs, int seconds) {
        boolean[] running = new boolean[seconds];
        for (FlinkRest.Checkpoint c : done) {
            long from = Math.floorDiv(c.triggerMs() - startMs, 1000);
            long to = Math.floorDiv(c.triggerMs() + c.durationMs() - startMs, 1000);
            for (long i = Math.max(0, from); i <= Math.min(seconds - 1, to); i++) {
                running[(int) i] = true;
            }
        }
        return running;
    }

    private static Result result(
            BenchSettings s,
            double baseRate,
            double admission,
            Phases phases,
            double[] rates,
            long[] emittedBy,
            boolean[] checkpointing) {
        AnswerLog log = BenchLocal.answers;
        List<Second> seconds = new ArrayList<>();
        Histogram surge = new Histogram(60_000_000L, 3);
        Histogram before = new Histogram(60_000_000L, 3);
        Histogram after = new Histogram(60_000_000L, 3);
        long admittedInSurge = 0, shedInSurge = 0;
        for (int i = phases.warm(); i < rates.length; i++) {
            Histogram h = log.step(i);
            Second sec =
                    new Second(
                            i - phases.warm(),
                            rates[i],
                            i == 0 ? emittedBy[0] : emittedBy[i] - emittedBy[i - 1],
                            h.getTotalCount(),
                            log.shed(i),
                            RequestBenchmark.ms(h, 50),
                            RequestBenchmark.ms(h, 99),
                            checkpointing[i]);
            seconds.add(sec);
            if (i < phases.surgeStart()) {
                before.add(h);
            } else if (i < phases.surgeEnd()) {
                surge.add(h);
                admittedInSurge += sec.admitted();
                shedInSurge += sec.shed();
            } else if (i >= phases.surgeEnd() + RECOVERY_SECONDS) {
                after.add(h);
            }
        }
        return new Result(
                baseRate,
                admission,
                s.config.walk.timeoutMs,
                s.p99TargetMs,
                phases,
                seconds,
                Math.round(Arrays.stream(rates).sum()),
                BenchLocal.requestsEmitted.sum(),
                log.total(),
                log.shedTotal(),
                admittedInSurge / (double) phases.surge(),
                shedInSurge / (double) phases.surge(),
                RequestBenchmark.ms(surge, 99),
                RequestBenchmark.ms(before, 99),
                RequestBenchmark.ms(after, 99),
                recoverySeconds(seconds, phases, s.p99TargetMs));
    }

    /**
     * Seconds from the surge's end until p99 is under the target in that second and every later one
     * that had answers; infinite if it never is.
     */
    static double recoverySeconds(List<Second> seconds, Phases phases, double targetMs) {
        int end = phases.surgeEnd() - phases.warm();
        int recovered = -1;
        for (int i = seconds.size() - 1; i >= end; i--) {
            Second sec = seconds.get(i);
            if (sec.admitted() > 0 && !(sec.p99Ms() < targetMs)) {
                break;
            }
            recovered = i;
        }
        return recovered < 0 ? Double.POSITIVE_INFINITY : recovered - end;
    }
}
