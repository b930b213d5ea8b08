package io.walkstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where a local run (demo, run) keeps its checkpoints. Flink's default, the JobManager's memory,
 * refuses more than 5 MB of state per subtask; the demo's job outgrew it after about 40 s and then
 * restarted in a loop. A job here holds about 6.4 MB per subtask (parallelism 2).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalCheckpointsTest {
    private static final int KEYS = 400;
    private static final int BYTES_PER_KEY = 32 * 1024;

    /** Keys holding state, per subtask, at each checkpoint's barrier: checkpoint id → keys. */
    private static final Map<Long, AtomicInteger> KEYS_AT_CHECKPOINT = new ConcurrentHashMap<>();

    /** Completed checkpoints that held every key's state. */
    private static final AtomicInteger FULL_CHECKPOINTS = new AtomicInteger();

    @BeforeEach
    void reset() {
        KEYS_AT_CHECKPOINT.clear();
        FULL_CHECKPOINTS.set(0);
    }

    @Test
    void aLocalRunCheckpointsMoreStateThanTheJobManagersMemoryHolds() throws Exception {
        Configuration conf = localConfiguration();
        Optional<Path> dir = LocalFlink.checkpointsOnDisk(conf);
        assertThat(dir).isPresent();

        JobStatus status = runUntilAFullCheckpointOrFailure(conf);

        assertThat(FULL_CHECKPOINTS.get())
                .as("a checkpoint holding all %d keys (%d MB) completed", KEYS, mb())
                .isPositive();
        assertThat(status).isNotEqualTo(JobStatus.FAILED);
        try (Stream<Path> files = Files.walk(dir.get())) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("chk-")))
                    .isNotEmpty();
        }
    }

    /** Why the above exists: the same job on Flink's default storage fails its checkpoint. */
    @Test
    void flinksDefaultStorageFailsTheSameJob() throws Exception {
        JobStatus status = runUntilAFullCheckpointOrFailure(localConfiguration());

        assertThat(status).isEqualTo(JobStatus.FAILED);
        assertThat(FULL_CHECKPOINTS.get()).isZero();
    }

    @Test
    void aClusterJobWithCheckpointsButNoDirectoryIsRefusedBeforeItStarts() throws Exception {
        Configuration conf = localConfiguration();
        assertThat(JobMain.checkpointStorageProblem(conf))
                .hasValueSatisfying(p -> assertThat(p).contains("job.checkpointDir"));

        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://bucket/checkpoints");
        assertThat(JobMain.checkpointStorageProblem(conf)).isEmpty();

        JobConfig off = ConfigLoader.parse("", Map.of("job.checkpointIntervalMs", "0"));
        assertThat(JobMain.checkpointStorageProblem(WalkstreamJob.flinkConfiguration(off)))
                .isEmpty();
    }

    /** The job's own Flink configuration, as the demo builds it, checkpointing every 300 ms. */
    private static Configuration localConfiguration() throws Exception {
        JobConfig cfg = ConfigLoader.parse("", Map.of("job.checkpointIntervalMs", "300"));
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failed checkpoint ends it
        return conf;
    }

    private static JobStatus runUntilAFullCheckpointOrFailure(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        env.fromSource(
                        new DataGeneratorSource<>(
                                i -> i,
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(4000),
                                Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "numbers")
                .keyBy(i -> i % KEYS, Types.LONG)
                .process(new LargeState())
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("large state");
        // The local cluster shuts down with its job, so the job's end is read from its result.
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (FULL_CHECKPOINTS.get() == 0 && !result.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!result.isDone()) {
            job.cancel().get();
            return JobStatus.RUNNING;
        }
        try {
            result.get();
            return JobStatus.FINISHED;
        } catch (ExecutionException e) {
            return JobStatus.FAILED;
        }
    }

    private static long mb() {
        return (long) KEYS * BYTES_PER_KEY >> 20;
    }

    /** 32 KB of state per key; counts the keys it holds at each checkpoint. */
    static final class LargeState extends KeyedProcessFunction<Long, Long, Long>
            implements CheckpointedFunction, CheckpointListener {
        private transient ValueState<byte[]> payload;
        private transient int keysHeld;

        @Override
        public void open(OpenContext ctx) {
            payload =
                    getRuntimeContext()
                            .getState(new ValueStateDescriptor<>("payload", byte[].class));
        }

        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
            if (payload.value() == null) {
                byte[] bytes = new byte[BYTES_PER_KEY];
                Arrays.fill(bytes, (byte) (long) value);
                payload.update(bytes);
                keysHeld++;
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) {
            KEYS_AT_CHECKPOINT
                    .computeIfAbsent(ctx.getCheckpointId(), id -> new AtomicInteger())
                    .addAndGet(keysHeld);
        }

        @Override
        public void initializeState(FunctionInitializationContext ctx) {}

        @Override
        public void notifyCheckpointComplete(long id) {
            AtomicInteger keys = KEYS_AT_CHECKPOINT.get(id);
            if (keys != null && keys.get() == KEYS) {
                FULL_CHECKPOINTS.incrementAndGet();
            }
        }
    }
}
