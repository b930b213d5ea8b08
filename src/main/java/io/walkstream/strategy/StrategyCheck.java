package io.walkstream.strategy;

import io.walkstream.config.JobConfig;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each strategy update once, before it is broadcast: it must parse, validate, and not be
 * older than the version in force (the same version again is accepted: re-sending is harmless).
 * Valid updates continue as canonical JSON; the others go to {@link #REJECTED} with the reason, and
 * the version in force keeps serving. Keyed by strategy name, so the version in force is state.
 */
public class StrategyCheck extends KeyedProcessFunction<String, StrategyUpdate, String> {
    private static final Logger LOG = LoggerFactory.getLogger(StrategyCheck.class);
    public static final OutputTag<StrategyRejected> REJECTED =
            new OutputTag<>("strategy-rejected", TypeInformation.of(StrategyRejected.class));

    /** Key of documents that do not even parse. */
    static final String UNPARSEABLE = "\u0000unparseable";

    private final JobConfig cfg;
    private final Map<String, Integer> initialVersions;
    private transient ValueState<Integer> inForce;
    private transient StrategyCompiler compiler;

    public StrategyCheck(JobConfig cfg, Map<String, Integer> initialVersions) {
        this.cfg = cfg;
        this.initialVersions = initialVersions;
    }

    /** Keys an update by the strategy it names. */
    public static final class ByName implements KeySelector<StrategyUpdate, String> {
        @Override
        public String getKey(StrategyUpdate u) {
            try {
                StrategySpec s = StrategyLoader.parse(u.payload);
                return s.name == null ? UNPARSEABLE : s.name;
            } catch (RuntimeException e) {
                return UNPARSEABLE;
            }
        }
    }

    @Override
    public void open(OpenContext openContext) {
        inForce =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("strategy-version", Types.INT));
        compiler = new StrategyCompiler(cfg);
    }

    @Override
    public void processElement(StrategyUpdate u, Context ctx, Collector<String> out)
            throws Exception {
        StrategySpec spec;
        try {
            spec = StrategyLoader.parse(u.payload);
        } catch (IllegalArgumentException e) {
            reject(ctx, u, "invalid strategy: " + e.getMessage());
            return;
        }
        List<String> problems = compiler.problems(spec);
        if (!problems.isEmpty()) {
            reject(ctx, u, "invalid strategy " + spec.name + ": " + String.join("; ", problems));
            return;
        }
        Integer current = inForce.value();
        if (current == null) {
            current = initialVersions.get(spec.name);
        }
        if (current != null && spec.version < current) {
            reject(
                    ctx,
                    u,
                    "strategy "
                            + spec.name
                            + " version "
                            + spec.version
                            + " is older than the version in force ("
                            + current
                            + ")");
            return;
        }
        inForce.update(spec.version);
        LOG.info("strategy {} version {} accepted", spec.name, spec.version);
        out.collect(StrategyLoader.toJson(spec));
    }

    private static void reject(Context ctx, StrategyUpdate u, String reason) {
        LOG.warn("strategy update rejected, the previous version keeps serving: {}", reason);
        ctx.output(REJECTED, new StrategyRejected(u, reason));
    }
}
