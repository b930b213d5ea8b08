package io.walkstream.testing;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.CloseableIterator;

/**
 * The walkstream dataflow over a {@link SyntheticStream}, running (unbounded in time, rate-limited)
 * on the test's MiniCluster with checkpoints and a restart strategy, with answers collected by a
 * checkpoint-aware collect sink (after a failover it only hands out answers of completed
 * checkpoints, so a duplicate here is a real duplicate). The test may inject faults, stop it with a
 * savepoint, or start it from one.
 */
public final class StreamingRun {
    /**
     * How to run: rates (0 = unlimited) or other limiters (a {@link SourceGate}; when set, they
     * replace the rate), parallelism (of the job, of the sources), fixed max parallelism, savepoint
     * to start from, a fault on the events.
     */
    public static final class Options {
        public double eventsPerSecond;
        public double requestsPerSecond;
        public RateLimiterStrategy<?> eventLimiter;
        public RateLimiterStrategy<?> requestLimiter;
        public int parallelism = 2;

        /** Parallelism of the two sources; 0 = {@link #parallelism}. */
        public int sourceParallelism;

        public int maxParallelism = 128;
        public long checkpointIntervalMs = 200;
        public String restoreFrom;
        public UnaryOperator<DataStream<Event>> eventFault = UnaryOperator.identity();
    }

    public final JobClient client;
    private final List<Recommendation> results = Collections.synchronizedList(new ArrayList<>());
    private final Thread collector;
    private volatile Throwable collectError;

    private StreamingRun(JobClient client, CloseableIterator<Recommendation> it) {
        this.client = client;
        this.collector =
                new Thread(
                        () -> {
                            try (it) {
                                it.forEachRemaining(results::add);
                            } catch (Throwable t) {
                                collectError = t;
                            }
                        },
                        "collect-" + client.getJobID());
        collector.setDaemon(true);
        collector.start();
    }

    public static StreamingRun start(JobConfig cfg, SyntheticStream stream, Options o)
            throws Exception {
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        conf.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                Duration.ofMillis(o.checkpointIntervalMs));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(o.parallelism);
        env.setMaxParallelism(o.maxParallelism);
        SingleOutputStreamOperator<Event> eventSource =
                stream.eventSource(
                        env,
                        o.eventLimiter != null
                                ? o.eventLimiter
                                : SyntheticStream.limiter(o.eventsPerSecond));
        SingleOutputStreamOperator<Request> requestSource =
                stream.requestSource(
                        env,
                        o.requestLimiter != null
                                ? o.requestLimiter
                                : SyntheticStream.limiter(o.requestsPerSecond));
        if (o.sourceParallelism > 0) {
            eventSource.setParallelism(o.sourceParallelism);
            requestSource.setParallelism(o.sourceParallelism);
        }
        DataStream<Event> events = o.eventFault.apply(eventSource);
        DataStream<Recommendation> out = WalkstreamJob.build(cfg, events, requestSource);
        CloseableIterator<Recommendation> it = out.collectAsync();
        StreamGraph graph = env.getStreamGraph();
        if (o.restoreFrom != null) {
            // allowNonRestoredState only for the collect sink: its state belongs to the stopped
            // run's iterator (which received every answer of the final savepoint) and its id is
            // generated. Every walkstream operator has a uid, so its state maps.
            graph.setSavepointRestoreSettings(
                    SavepointRestoreSettings.forPath(o.restoreFrom, true));
        }
        return new StreamingRun(env.executeAsync(graph), it);
    }

    /** Waits for the job to end by itself (its bounded sources done) and returns every answer. */
    public List<Recommendation> awaitAnswers(Duration timeout) throws Exception {
        client.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return answersSoFar(timeout);
    }

    /**
     * Stops the job with a savepoint in {@code dir} (no drain: no end-of-input watermark), returns
     * its path.
     */
    public String stopWithSavepoint(String dir, Duration timeout) throws Exception {
        return client.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The answers collected once the job has ended (waits for the collector to drain). */
    public List<Recommendation> answersSoFar(Duration timeout) throws Exception {
        collector.join(timeout.toMillis());
        if (collector.isAlive()) {
            throw new AssertionError("answers still arriving after " + timeout);
        }
        if (collectError != null) {
            throw new AssertionError("collecting answers failed", collectError);
        }
        synchronized (results) {
            return new ArrayList<>(results);
        }
    }
}
