package io.walkstream.bench;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The benchmark's job: the real dataflow on a local mini cluster in this JVM, fed by generator
 * sources.
 */
final class LocalJob {
    private LocalJob() {}

    static StreamExecutionEnvironment env(BenchSettings s) {
        return env(s, 0);
    }

    /**
     * @param restPort the mini cluster's REST API on this port of 127.0.0.1 (0: a random port
     *     nobody is told)
     */
    static StreamExecutionEnvironment env(BenchSettings s, int restPort) {
        Configuration conf = WalkstreamJob.flinkConfiguration(s.config);
        if (restPort > 0) {
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.ADDRESS, "127.0.0.1");
            conf.set(RestOptions.BIND_PORT, Integer.toString(restPort));
            conf.set(RestOptions.PORT, restPort);
        }
        // Accumulators travel with TaskManager heartbeats: once a second, so the driver can follow
        // progress.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        if (s.config.job.stateBackend == RuntimeConfig.StateBackend.ROCKSDB) {
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("1536m"));
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(s.config.job.parallelism);
        env.setBufferTimeout(s.bufferTimeoutMs);
        return env;
    }

    static <T> SingleOutputStreamOperator<T> source(
            StreamExecutionEnvironment env,
            String name,
            GeneratorFunction<Long, T> fn,
            long count,
            RateLimiterStrategy<NumberSequenceSplit> pace,
            Class<T> type) {
        return env.fromSource(
                        new DataGeneratorSource<>(fn, count, pace, TypeInformation.of(type)),
                        WatermarkStrategy.noWatermarks(),
                        name)
                .uid(name);
    }

    /**
     * The shop's job as the request scenarios run it: shop events at {@code eventPace}, shop
     * requests at {@code requestPace}, every answer into {@link BenchLocal#answers}.
     */
    static void shopWithAnswers(
            StreamExecutionEnvironment env, BenchSettings s, Pace eventPace, Pace requestPace) {
        var events =
                events(env, new ShopEvents(s.shop, s.seed, 0, false), Long.MAX_VALUE, eventPace);
        var requests =
                requests(
                        env,
                        s.config,
                        new ShopRequests(s.shop, s.seed + 1, 10, s.walkers),
                        Long.MAX_VALUE,
                        requestPace);
        WalkstreamJob.build(s.config, events, requests)
                .sinkTo(new LatencySink())
                .name("bench-answers");
    }

    static DataStream<Event> events(
            StreamExecutionEnvironment env,
            GeneratorFunction<Long, Event> fn,
            long count,
            RateLimiterStrategy<NumberSequenceSplit> pace) {
        return source(env, "bench-events", fn, count, pace, Event.class);
    }

    /**
     * The requests source: it heads the chain that sends requests to Seed, so it takes {@code
     * walk.bufferTimeoutMs}.
     */
    static DataStream<Request> requests(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            GeneratorFunction<Long, Request> fn,
            long count,
            RateLimiterStrategy<NumberSequenceSplit> pace) {
        return WalkstreamJob.walkLatency(
                cfg, source(env, "bench-requests", fn, count, pace, Request.class));
    }

    /** A counter summed over subtasks, as last reported (accumulators refresh with heartbeats). */
    static long counter(JobClient client, String name) throws Exception {
        Map<String, Object> acc = client.getAccumulators().get(10, TimeUnit.SECONDS);
        Object v = acc.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    static boolean running(JobClient client) throws Exception {
        JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
        return !status.isTerminalState() && status != JobStatus.FAILING;
    }

    static void cancel(JobClient client) {
        try {
            client.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already finished or failed: nothing to stop
        }
    }
}
