package io.walkstream;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig;
import io.walkstream.graph.ExpiringStepOperator;
import io.walkstream.model.Event;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.HopBatch;
import io.walkstream.model.RankInput;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.rank.RankStep;
import io.walkstream.strategy.StrategyCheck;
import io.walkstream.strategy.StrategyLoader;
import io.walkstream.strategy.StrategyRejected;
import io.walkstream.strategy.StrategyResolver;
import io.walkstream.strategy.StrategySpec;
import io.walkstream.strategy.StrategyUpdate;
import io.walkstream.walk.ContextStep;
import io.walkstream.walk.EventRouter;
import io.walkstream.walk.ItemStep;
import io.walkstream.walk.Routes;
import io.walkstream.walk.ScoreStep;
import io.walkstream.walk.SeedStep;
import io.walkstream.walk.Watermarks;
import io.walkstream.walk.batch.BatchedStepOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.ConnectedStreams;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;

/**
 * Builds the walkstream dataflow from a {@link JobConfig}. Sources and sinks are the caller's:
 * tests pass bounded in-memory streams, the Kafka job passes Kafka sources and sinks.
 *
 * <pre>
 * events ──► route ──┬──────────────┬───────────────┬───────────────┐
 *                    ▼              ▼               ▼               ▼
 * requests ──► [1 Seed: user] ─► [2 Item] ─► [3 Context] ─► [4 Score: item] ─► [5 Rank: request] ─► results
 *                    │ follows ───────────────────▲               ▲                ▲
 *                    │ probes (seed vectors, candidates) ─────────┘                │
 *                    └ request context, absorbed walkers (every step) ─────────────┘
 * </pre>
 */
public final class WalkstreamJob {
    private WalkstreamJob() {}

    /**
     * The job's outputs: answers, and strategy updates that were rejected (for the dead-letter
     * topic).
     */
    public record Outputs(
            DataStream<Recommendation> results, DataStream<StrategyRejected> rejectedStrategies) {}

    /** The dataflow with the configured strategies and no control stream. */
    public static DataStream<Recommendation> build(
            JobConfig cfg, DataStream<Event> events, DataStream<Request> requests) {
        return build(cfg, events, requests, null).results();
    }

    /** Where the events' timestamps and watermarks come from. */
    public enum EventTime {
        /** The job assigns them from each event's {@code ts} (in-memory and replayed streams). */
        ASSIGN,
        /**
         * The source already did, per partition (the Kafka job): the job must not reassign them.
         */
        FROM_SOURCE
    }

    /**
     * The dataflow; {@code strategyUpdates} (may be null) carries new strategy versions that apply
     * without a restart.
     */
    public static Outputs build(
            JobConfig cfg,
            DataStream<Event> events,
            DataStream<Request> requests,
            DataStream<StrategyUpdate> strategyUpdates) {
        return build(cfg, events, requests, strategyUpdates, EventTime.ASSIGN);
    }

    public static Outputs build(
            JobConfig cfg,
            DataStream<Event> events,
            DataStream<Request> requests,
            DataStream<StrategyUpdate> strategyUpdates,
            EventTime eventTime) {
        List<StrategySpec> configured = configuredStrategies(cfg);
        List<String> initial = configured.stream().map(StrategyLoader::toJson).toList();
        DataStream<Event> timedEvents =
                eventTime == EventTime.FROM_SOURCE
                        ? events
                        : events.assignTimestampsAndWatermarks(Watermarks.events(cfg.walk))
                                .setParallelism(events.getParallelism())
                                .name("event-time")
                                .uid("event-time");
        DataStream<Request> stampedRequests =
                requests.map(new StampIngestTime())
                        .name("stamp-requests")
                        .uid("stamp-requests")
                        .assignTimestampsAndWatermarks(Watermarks.requests())
                        .name("request-time")
                        .uid("request-time");
        SingleOutputStreamOperator<String> accepted =
                strategyUpdates == null
                        ? null
                        : checkedStrategies(cfg, strategyUpdates, configured);
        DataStream<StrategyRejected> rejected =
                accepted == null ? null : accepted.getSideOutput(StrategyCheck.REJECTED);
        DataStream<Request> timedRequests =
                walkLatency(cfg, resolveStrategies(cfg, stampedRequests, accepted, initial));

        // The router runs at the source's parallelism (chained, no shuffle), so every node
        // receives its events in the order each source partition holds them.
        SingleOutputStreamOperator<GraphUpdate> routed =
                timedEvents
                        .process(new EventRouter(cfg))
                        .setParallelism(events.getParallelism())
                        .name("route-events")
                        .uid("route-events");

        DataStream<RankInput> toRank =
                cfg.walk.batching
                        ? batchedSteps(cfg, routed, timedRequests)
                        : steps(cfg, routed, timedRequests);
        DataStream<Recommendation> results =
                walkLatency(
                        cfg,
                        toRank.keyBy(new ByRequest())
                                .process(new RankStep(cfg))
                                .name("5-rank (request)")
                                .uid("rank"));
        return new Outputs(results, rejected);
    }

    /**
     * Published strategies, checked against the configured ones and the versions seen so far;
     * rejections on the side output {@link StrategyCheck#REJECTED}.
     */
    private static SingleOutputStreamOperator<String> checkedStrategies(
            JobConfig cfg, DataStream<StrategyUpdate> updates, List<StrategySpec> configured) {
        Map<String, Integer> versions = new HashMap<>();
        configured.forEach(s -> versions.put(s.name, s.version));
        return updates.assignTimestampsAndWatermarks(Watermarks.noHoldback())
                .name("strategy-time")
                .uid("strategy-time")
                .keyBy(new StrategyCheck.ByName())
                .process(new StrategyCheck(cfg, versions))
                .name("check-strategies")
                .uid("check-strategies");
    }

    /**
     * Each request with its channel's strategy plan: the configured ones, or those published since.
     */
    private static SingleOutputStreamOperator<Request> resolveStrategies(
            JobConfig cfg,
            DataStream<Request> requests,
            DataStream<String> accepted,
            List<String> initial) {
        if (accepted == null) {
            return requests.map(new StrategyResolver.Static(cfg, initial))
                    .name("resolve-strategy")
                    .uid("resolve-strategy");
        }
        return requests.connect(accepted.broadcast(StrategyResolver.STRATEGIES))
                .process(new StrategyResolver(cfg, initial))
                .name("resolve-strategy")
                .uid("resolve-strategy");
    }

    /**
     * The network buffer timeout of an operator on a request's path ({@code walk.bufferTimeoutMs}):
     * a request crosses six shuffles, and each would otherwise wait up to the job's buffer timeout
     * (5 ms by default) for its buffer to fill. Graph updates from the router keep the job's
     * timeout.
     */
    public static <T> SingleOutputStreamOperator<T> walkLatency(
            JobConfig cfg, SingleOutputStreamOperator<T> op) {
        return cfg.walk.bufferTimeoutMs >= 0 ? op.setBufferTimeout(cfg.walk.bufferTimeoutMs) : op;
    }

    /**
     * Steps 1–4, walker messages one record each ({@code walk.batching: false}). They keep the
     * job's buffer timeout: flushing every walker group at once would cost a network buffer per
     * group.
     */
    private static DataStream<RankInput> steps(
            JobConfig cfg,
            SingleOutputStreamOperator<GraphUpdate> routed,
            DataStream<Request> requests) {
        SingleOutputStreamOperator<Hop> seed =
                routed.keyBy(new ByNode())
                        .connect(requests.keyBy(new BySeedKey()))
                        .transform(
                                "1-seed (user)",
                                TypeInformation.of(Hop.class),
                                new ExpiringStepOperator<>(new SeedStep(cfg)))
                        .uid("seed");

        SingleOutputStreamOperator<Hop> item =
                routed.getSideOutput(Routes.TO_ITEM)
                        .union(seed.getSideOutput(Routes.TRANSITIONS))
                        .keyBy(new ByNode())
                        .connect(seed.keyBy(new ByHopNode()))
                        .transform(
                                "2-item",
                                TypeInformation.of(Hop.class),
                                new ExpiringStepOperator<>(new ItemStep(cfg)))
                        .uid("item");

        DataStream<GraphUpdate> contextUpdates =
                routed.getSideOutput(Routes.TO_CONTEXT)
                        .union(item.getSideOutput(Routes.TO_CONTEXT));
        DataStream<Hop> contextHops = item.union(seed.getSideOutput(Routes.HOPS_TO_CONTEXT));
        SingleOutputStreamOperator<Hop> context =
                contextUpdates
                        .keyBy(new ByNode())
                        .connect(contextHops.keyBy(new ByHopNode()))
                        .transform(
                                "3-context",
                                TypeInformation.of(Hop.class),
                                new ExpiringStepOperator<>(new ContextStep(cfg)))
                        .uid("context");

        DataStream<GraphUpdate> scoreUpdates =
                routed.getSideOutput(Routes.TO_SCORE).union(item.getSideOutput(Routes.TO_SCORE));
        DataStream<Hop> scoreHops =
                context.union(
                        seed.getSideOutput(Routes.HOPS_TO_SCORE),
                        item.getSideOutput(Routes.HOPS_TO_SCORE));
        SingleOutputStreamOperator<RankInput> score =
                scoreUpdates
                        .keyBy(new ByNode())
                        .connect(scoreHops.keyBy(new ByHopNode()))
                        .transform(
                                "4-score (item)",
                                TypeInformation.of(RankInput.class),
                                new ExpiringStepOperator<>(new ScoreStep(cfg)))
                        .uid("score");

        return score.union(
                seed.getSideOutput(Routes.TO_RANK),
                item.getSideOutput(Routes.TO_RANK),
                context.getSideOutput(Routes.TO_RANK));
    }

    /**
     * Steps 1–4 with batched transport ({@code walk.batching}): each step sends the walkers it
     * moves while handling one record as one {@link HopBatch} per downstream subtask, and Rank one
     * record per request ({@link BatchedStepOperator}). Same functions, same answers, far fewer
     * records.
     */
    private static DataStream<RankInput> batchedSteps(
            JobConfig cfg,
            SingleOutputStreamOperator<GraphUpdate> routed,
            DataStream<Request> requests) {
        TypeInformation<HopBatch> batches = TypeInformation.of(HopBatch.class);
        SingleOutputStreamOperator<HopBatch> seed =
                step(
                        cfg,
                        routed.keyBy(new ByNode()).connect(requests.keyBy(new BySeedKey())),
                        "1-seed (user)",
                        "seed",
                        batches,
                        new BatchedStepOperator<>(new SeedStep(cfg), "seed", false));

        // Item keeps the job's buffer timeout: it also sends a trending update per interaction, and
        // flushing each at once cost half the ingest rate in the benchmark.
        SingleOutputStreamOperator<HopBatch> item =
                step(
                        null,
                        routed.getSideOutput(Routes.TO_ITEM)
                                .union(seed.getSideOutput(Routes.TRANSITIONS))
                                .keyBy(new ByNode())
                                .connect(seed.keyBy(new ByRoute())),
                        "2-item",
                        "item",
                        batches,
                        new BatchedStepOperator<>(new ItemStep(cfg), "item", true));

        DataStream<GraphUpdate> contextUpdates =
                routed.getSideOutput(Routes.TO_CONTEXT)
                        .union(item.getSideOutput(Routes.TO_CONTEXT));
        DataStream<HopBatch> contextHops =
                item.union(seed.getSideOutput(Routes.BATCHES_TO_CONTEXT));
        SingleOutputStreamOperator<HopBatch> context =
                step(
                        cfg,
                        contextUpdates
                                .keyBy(new ByNode())
                                .connect(contextHops.keyBy(new ByRoute())),
                        "3-context",
                        "context",
                        batches,
                        new BatchedStepOperator<>(new ContextStep(cfg), "context", true));

        DataStream<GraphUpdate> scoreUpdates =
                routed.getSideOutput(Routes.TO_SCORE).union(item.getSideOutput(Routes.TO_SCORE));
        DataStream<HopBatch> scoreHops =
                context.union(
                        seed.getSideOutput(Routes.BATCHES_TO_SCORE),
                        item.getSideOutput(Routes.BATCHES_TO_SCORE));
        SingleOutputStreamOperator<RankInput> score =
                step(
                        cfg,
                        scoreUpdates.keyBy(new ByNode()).connect(scoreHops.keyBy(new ByRoute())),
                        "4-score (item)",
                        "score",
                        TypeInformation.of(RankInput.class),
                        new BatchedStepOperator<>(new ScoreStep(cfg), "score", true));

        return score.union(
                seed.getSideOutput(Routes.TO_RANK),
                item.getSideOutput(Routes.TO_RANK),
                context.getSideOutput(Routes.TO_RANK));
    }

    /**
     * A step run by its batching operator (whose second input is declared as the hops it unpacks).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    /**
     * {@code latencyCfg}: whose {@code walk.bufferTimeoutMs} the step takes (null: the job's buffer
     * timeout).
     */
    private static <I2, R> SingleOutputStreamOperator<R> step(
            JobConfig latencyCfg,
            ConnectedStreams<GraphUpdate, I2> in,
            String name,
            String uid,
            TypeInformation<R> out,
            BatchedStepOperator<?, ?, ?> operator) {
        SingleOutputStreamOperator<R> op =
                in.transform(name, out, (TwoInputStreamOperator) operator).uid(uid);
        return latencyCfg == null ? op : walkLatency(latencyCfg, op);
    }

    /** The strategies of {@code strategies.dir}, read when the job is built (on the client). */
    public static List<StrategySpec> configuredStrategies(JobConfig cfg) {
        if (cfg.strategies.dir == null) {
            return List.of();
        }
        try {
            return StrategyLoader.loadDir(Path.of(cfg.strategies.dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read strategies from " + cfg.strategies.dir, e);
        }
    }

    /** Flink settings from the job configuration: parallelism, state backend, checkpoints. */
    public static Configuration flinkConfiguration(JobConfig cfg) {
        Configuration conf = new Configuration();
        RuntimeConfig job = cfg.job;
        conf.set(
                StateBackendOptions.STATE_BACKEND,
                job.stateBackend == RuntimeConfig.StateBackend.ROCKSDB ? "rocksdb" : "hashmap");
        if (job.checkpointIntervalMs > 0) {
            conf.set(
                    CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    Duration.ofMillis(job.checkpointIntervalMs));
            // Restart from the last checkpoint after any failure, never giving up: a Kafka outage
            // longer than kafka.outageToleranceMs fails the job, and the restarts must outlast the
            // outage without anyone resubmitting it. The backoff grows from 1 s to at most 30 s, so
            // the job is back at most about 30 s after the broker (Flink's own default, but set
            // here so that a cluster's finite restart strategy does not apply). Tests may override
            // it.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    Duration.ofSeconds(1));
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                    Duration.ofSeconds(30));
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                    Integer.MAX_VALUE);
        }
        if (job.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, job.checkpointDir);
        }
        conf.set(CoreOptions.DEFAULT_PARALLELISM, job.parallelism);
        if (cfg.walk.batching) {
            // A walker batch holds the nodes of one downstream subtask: redistributing in-flight
            // records on rescale (what unaligned checkpoints do) would split them wrongly. Aligned
            // checkpoints carry none.
            conf.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
        }
        // Chained operators hand records over without a defensive copy (a reflective deep copy of
        // every event between the source and the router, otherwise). Safe here: every function
        // builds new output objects and none keeps a reference to its input outside Flink state,
        // whose inputs come off the network as fresh objects.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.NAME, job.name);
        return conf;
    }

    /** Marks when a request entered the job, for its latency (kept if a source already set it). */
    static final class StampIngestTime implements MapFunction<Request, Request> {
        @Override
        public Request map(Request r) {
            long now = System.currentTimeMillis();
            if (r.ingestedAtMs == 0) {
                r.ingestedAtMs = now;
            }
            r.readAtMs = now;
            return r;
        }
    }

    static final class ByNode implements KeySelector<GraphUpdate, Long> {
        @Override
        public Long getKey(GraphUpdate u) {
            return u.node;
        }
    }

    static final class ByRoute implements KeySelector<HopBatch, Long> {
        @Override
        public Long getKey(HopBatch b) {
            return b.route;
        }
    }

    static final class ByHopNode implements KeySelector<Hop, Long> {
        @Override
        public Long getKey(Hop h) {
            return h.node;
        }
    }

    static final class BySeedKey implements KeySelector<Request, Long> {
        @Override
        public Long getKey(Request r) {
            return r.seedNode();
        }
    }

    static final class ByRequest implements KeySelector<RankInput, Long> {
        @Override
        public Long getKey(RankInput r) {
            return r.request;
        }
    }
}
