package io.walkstream.rank;

import io.walkstream.config.JobConfig;
import io.walkstream.model.RankInput;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RequestContext;
import io.walkstream.walk.StepCounter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Step 5, keyed by request. Gathers the request context, arriving walkers, absorbed walkers and
 * probe answers, and answers exactly once:
 *
 * <ul>
 *   <li>when every walker is accounted for (arrived + absorbed = walkers sent) and every probe has
 *       answered — complete, or {@code partial} if some walkers hit dead ends;
 *   <li>at the deadline (processing time, set by Seed when the walk started) — {@code partial} and
 *       {@code timedOut};
 *   <li>at once for a request Seed shed (admission control): empty, {@code shed} with a reason;
 *   <li>at the end of a bounded input (the final watermark), where processing-time timers would be
 *       dropped — so a request is never left unanswered.
 * </ul>
 *
 * Inputs are appended to list state (O(1) on RocksDB) and read once, when answering.
 */
public class RankStep extends KeyedProcessFunction<Long, RankInput, Recommendation> {
    /** How long an answered request's marker is kept to recognise late walkers. */
    static final long LINGER_MS = 60_000;

    private final JobConfig cfg;

    private transient ValueState<RequestContext> context;
    private transient ValueState<RankProgress> progress;
    private transient ListState<RankInput> inputs;
    private transient Ranker ranker;
    private transient StepCounter inputsIn;
    private transient StepCounter recordsIn;
    private transient StepCounter answered;
    private transient StepCounter partial;
    private transient StepCounter timedOut;
    private transient StepCounter late;
    private transient StepCounter shed;
    private transient Map<String, StepCounter> perVariant;

    public RankStep(JobConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        context =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "rank-context", TypeInformation.of(RequestContext.class)));
        progress =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "rank-progress", TypeInformation.of(RankProgress.class)));
        inputs =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "rank-inputs", TypeInformation.of(RankInput.class)));
        ranker = new Ranker(cfg.rank);
        inputsIn = StepCounter.register(getRuntimeContext(), "rank.inputs");
        recordsIn = StepCounter.register(getRuntimeContext(), "rank.records");
        answered = StepCounter.register(getRuntimeContext(), "rank.answered");
        partial = StepCounter.register(getRuntimeContext(), "rank.partial");
        timedOut = StepCounter.register(getRuntimeContext(), "rank.timedOut");
        late = StepCounter.register(getRuntimeContext(), "rank.lateMessages");
        shed = StepCounter.register(getRuntimeContext(), "rank.shed");
        perVariant = new HashMap<>();
    }

    @Override
    public void processElement(RankInput in, Context ctx, Collector<Recommendation> out)
            throws Exception {
        boolean batch = in.kind == RankInput.BATCH;
        inputsIn.add(batch ? in.parts.length : 1);
        recordsIn.inc();
        TimerService timers = ctx.timerService();
        RankProgress p = progress.value();
        if (p != null && p.answered) {
            if (!carriesContext(in)) {
                late.add(batch ? in.parts.length : 1);
                return;
            }
            // The id was used again after its answer: that is a new request.
            timers.deleteProcessingTimeTimer(p.deadline);
            p = null;
        }
        if (p == null) {
            p = new RankProgress();
            p.deadline = timers.currentProcessingTime() + cfg.walk.timeoutMs;
            timers.registerProcessingTimeTimer(p.deadline);
            timers.registerEventTimeTimer(Long.MAX_VALUE); // end of a bounded input
        }
        RequestContext rc = null;
        boolean keep = false;
        if (batch) {
            for (RankInput part : in.parts) {
                RequestContext c = account(part, p, timers);
                if (c != null) {
                    rc = c;
                }
                keep |= kept(part);
            }
        } else {
            rc = account(in, p, timers);
            keep = kept(in);
        }
        if (keep) {
            inputs.add(in); // a batch is stored whole: one list entry per record, opened when
            // answering
        }
        if (rc == null) {
            rc = context.value();
        }
        if (rc != null
                && p.walkersDone(rc.walkers)
                && p.probes >= rc.probes
                && p.trendDone >= rc.trendUnits) {
            answer(rc, p, false, timers, out);
        } else {
            progress.update(p);
        }
    }

    private static boolean carriesContext(RankInput in) {
        if (in.kind == RankInput.BATCH) {
            for (RankInput part : in.parts) {
                if (part.kind == RankInput.CONTEXT) {
                    return true;
                }
            }
            return false;
        }
        return in.kind == RankInput.CONTEXT;
    }

    /** Whether the ranker needs this input when answering (the rest only counts). */
    private static boolean kept(RankInput in) {
        return in.kind != RankInput.CONTEXT && in.kind != RankInput.ABSORBED;
    }

    /** Counts what {@code in} accounts for; returns the request context when {@code in} is one. */
    private RequestContext account(RankInput in, RankProgress p, TimerService timers)
            throws Exception {
        switch (in.kind) {
            case RankInput.CONTEXT -> {
                RequestContext rc = in.context;
                context.update(rc);
                p.absorbed += rc.absorbedAtSeed;
                // The deadline bounds the walk: Seed set it when the walk started (every walker
                // carries it, and steps drop walkers past it), so waiting for event time
                // (alignment) or re-reading requests after a restore is not the walk being slow and
                // does not turn into empty answers.
                long deadline =
                        rc.deadline > 0
                                ? rc.deadline
                                : p.deadline - cfg.walk.timeoutMs + rc.timeoutMs;
                if (deadline != p.deadline) {
                    timers.deleteProcessingTimeTimer(p.deadline);
                    p.deadline = deadline;
                    timers.registerProcessingTimeTimer(p.deadline);
                }
                return rc;
            }
            case RankInput.ARRIVAL, RankInput.ARRIVALS -> p.arrived += (int) in.tokens();
            case RankInput.ABSORBED -> {
                if (in.trend) {
                    p.trendDone += in.walkers;
                } else {
                    p.absorbed += in.walkers;
                }
            }
            case RankInput.TREND_ARRIVAL, RankInput.NEIGHBOUR_ARRIVAL -> p.trendDone += in.walkers;
            default -> p.probes++;
        }
        return null;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out)
            throws Exception {
        RankProgress p = progress.value();
        if (p == null) {
            return;
        }
        if (p.answered) {
            progress.clear(); // the late-message marker has served its time
            return;
        }
        RequestContext rc = context.value();
        if (rc == null) {
            if (timestamp == Long.MAX_VALUE) {
                // End of input and the context never came: nothing can be answered for lack of a
                // request id.
                inputs.clear();
                progress.clear();
                return;
            }
            // Walkers without their context: it is still on its way (it left Seed before them).
            // Wait for it.
            p.deadline = ctx.timerService().currentProcessingTime() + cfg.walk.timeoutMs;
            ctx.timerService().registerProcessingTimeTimer(p.deadline);
            progress.update(p);
            return;
        }
        answer(rc, p, true, ctx.timerService(), out);
    }

    /**
     * {@code walkstream.strategy.<name>.<variant>.answered}: answers per strategy and experiment
     * arm.
     */
    private StepCounter variantCounter(String strategy, String variant) {
        return perVariant.computeIfAbsent(
                strategy + "\u0000" + variant,
                k ->
                        StepCounter.register(
                                getRuntimeContext(),
                                "strategy."
                                        + strategy
                                        + "."
                                        + (variant == null ? "none" : variant)
                                        + ".answered"));
    }

    private void answer(
            RequestContext rc,
            RankProgress p,
            boolean deadlinePassed,
            TimerService timers,
            Collector<Recommendation> out)
            throws Exception {
        long now = timers.currentProcessingTime();
        long latency = rc.ingestedAtMs > 0 ? Math.max(0, now - rc.ingestedAtMs) : 0;
        Iterable<RankInput> gathered = inputs.get();
        Recommendation r =
                ranker.rank(
                        rc, gathered == null ? List.of() : gathered, p, deadlinePassed, latency);
        out.collect(r);
        answered.inc();
        if (r.partial) {
            partial.inc();
        }
        if (r.timedOut) {
            timedOut.inc();
        }
        if (r.shed) {
            shed.inc();
        }
        if (r.strategy != null) {
            variantCounter(r.strategy, r.variant).inc();
        }

        context.clear();
        inputs.clear();
        timers.deleteProcessingTimeTimer(p.deadline);
        timers.deleteEventTimeTimer(Long.MAX_VALUE);
        p.answered = true;
        p.deadline = now + LINGER_MS;
        timers.registerProcessingTimeTimer(p.deadline);
        progress.update(p);
    }
}
