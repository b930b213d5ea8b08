package io.walkstream.strategy;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Request;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches to every request the plan of its channel's strategy (variant and fallback resolved).
 * Strategies start from the job's configuration; new versions arrive as broadcast elements and
 * apply from the next request on, without a restart; they live in broadcast state, so a restored
 * job serves the versions it had.
 */
public class StrategyResolver extends BroadcastProcessFunction<Request, String, Request> {
    private static final Logger LOG = LoggerFactory.getLogger(StrategyResolver.class);
    public static final MapStateDescriptor<String, String> STRATEGIES =
            new MapStateDescriptor<>("strategies", Types.STRING, Types.STRING);

    private final JobConfig cfg;
    private final List<String> initial;
    private transient StrategyBook book;
    private transient boolean restored;

    /**
     * @param initial the configured strategies, as canonical JSON
     */
    public StrategyResolver(JobConfig cfg, List<String> initial) {
        this.cfg = cfg;
        this.initial = initial;
    }

    @Override
    public void open(OpenContext openContext) {
        book = newBook(cfg, initial);
    }

    static StrategyBook newBook(JobConfig cfg, List<String> initial) {
        StrategyBook book = new StrategyBook(cfg, cfg.strategies.defaultStrategy);
        for (String json : initial) {
            List<String> problems = book.put(StrategyLoader.parse(json));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid configured strategy: " + problems);
            }
        }
        return book;
    }

    @Override
    public void processElement(Request r, ReadOnlyContext ctx, Collector<Request> out)
            throws Exception {
        if (!restored) {
            // After a restore the broadcast state holds the versions that were in force.
            for (Map.Entry<String, String> e :
                    ctx.getBroadcastState(STRATEGIES).immutableEntries()) {
                book.put(StrategyLoader.parse(e.getValue()));
            }
            restored = true;
        }
        attach(book, r);
        out.collect(r);
    }

    /** The resolver without a control stream: the configured strategies only. */
    public static final class Static extends RichMapFunction<Request, Request> {
        private final JobConfig cfg;
        private final List<String> initial;
        private transient StrategyBook book;

        public Static(JobConfig cfg, List<String> initial) {
            this.cfg = cfg;
            this.initial = initial;
        }

        @Override
        public void open(OpenContext openContext) {
            book = newBook(cfg, initial);
        }

        @Override
        public Request map(Request r) {
            attach(book, r);
            return r;
        }
    }

    static void attach(StrategyBook book, Request r) {
        StrategyBook.Resolved resolved =
                book.resolve(r.channel, r.user != null ? r.user : r.item, r.variant);
        r.plan = resolved.plan();
        r.fallbackPlan = resolved.fallback();
    }

    @Override
    public void processBroadcastElement(String json, Context ctx, Collector<Request> out)
            throws Exception {
        StrategySpec spec = StrategyLoader.parse(json);
        List<String> problems = book.put(spec);
        if (problems.isEmpty()) {
            ctx.getBroadcastState(STRATEGIES).put(spec.name, json);
        } else {
            LOG.warn("ignoring strategy {} that failed validation here: {}", spec.name, problems);
        }
    }
}
