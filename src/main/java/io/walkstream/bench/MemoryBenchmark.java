package io.walkstream.bench;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.RuntimeConfig;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Memory: the heap the job's state takes per stored edge and per node, all steps together. The job
 * starts with its event source held; the heap in use after a full collection is the baseline. Then
 * the events flow; once every step has applied them, the heap in use after a full collection, less
 * the baseline, is the state (heap backend: state lives as objects on the heap; checkpoints are off
 * so no snapshot copy is counted). Edges stored and nodes come from the steps' own counters ({@code
 * *.edgesStored}, {@code *.nodes}).
 */
public final class MemoryBenchmark {
    public record Result(
            long events,
            long stateBytes,
            long edgesStored,
            long nodes,
            double bytesPerEdge,
            double bytesPerNode,
            double bytesPerEvent,
            Map<String, Long> byStep) {}

    private static final String[] STEPS = {"seed", "item", "context"};

    private MemoryBenchmark() {}

    public static Result run(BenchSettings s, Consumer<String> progress) throws Exception {
        if (s.config.job.stateBackend != RuntimeConfig.StateBackend.HASHMAP) {
            throw new IllegalArgumentException(
                    "the memory benchmark measures heap state: run it with --backend heap");
        }
        long interval = s.config.job.checkpointIntervalMs;
        s.config.job.checkpointIntervalMs = 0;
        BenchLocal.reset(1, 1000);
        BenchLocal.eventsReleased = false;
        try {
            StreamExecutionEnvironment env = LocalJob.env(s);
            var events =
                    LocalJob.events(
                            env,
                            new ShopEvents(s.shop, s.seed, 0, true),
                            s.events,
                            RateLimiterStrategy.noOp());
            // A request source that never asks (its rate stays 0): it keeps the job running after
            // the events.
            var idle =
                    LocalJob.requests(
                            env,
                            s.config,
                            new ShopRequests(s.shop, s.seed, 10, 0),
                            Long.MAX_VALUE,
                            Pace.steps(new double[] {0}, Long.MAX_VALUE));
            WalkstreamJob.build(s.config, events, idle)
                    .sinkTo(new LatencySink())
                    .name("bench-answers");
            JobClient client = env.executeAsync("walkstream bench: memory");
            try {
                while (LocalJob.running(client)
                        && client.getJobStatus().get() != JobStatus.RUNNING) {
                    Thread.sleep(200);
                }
                Thread.sleep(3000);
                long baseline = usedHeapAfterGc();
                BenchLocal.eventsReleased = true;
                long total = s.events;
                Map<String, Long> counters = settled(client, total, progress);
                long after = usedHeapAfterGc();
                long edges = 0, nodes = 0;
                Map<String, Long> byStep = new LinkedHashMap<>();
                for (String step : STEPS) {
                    long e = counters.getOrDefault("walkstream." + step + ".edgesStored", 0L);
                    byStep.put(step + ".edgesStored", e);
                    byStep.put(
                            step + ".nodes",
                            counters.getOrDefault("walkstream." + step + ".nodes", 0L));
                    edges += e;
                    nodes += counters.getOrDefault("walkstream." + step + ".nodes", 0L);
                }
                long state = after - baseline;
                return new Result(
                        total,
                        state,
                        edges,
                        nodes,
                        state / (double) edges,
                        state / (double) nodes,
                        state / (double) total,
                        byStep);
            } finally {
                LocalJob.cancel(client);
            }
        } finally {
            s.config.job.checkpointIntervalMs = interval;
        }
    }

    /**
     * Waits until every event is applied and the steps' counters stop moving; returns the counters.
     */
    private static Map<String, Long> settled(
            JobClient client, long total, Consumer<String> progress) throws Exception {
        Map<String, Long> last = Map.of();
        int quiet = 0;
        while (quiet < 3) {
            Thread.sleep(1000);
            Map<String, Long> now = new LinkedHashMap<>();
            for (var e : client.getAccumulators().get().entrySet()) {
                if (e.getValue() instanceof Number n) {
                    now.put(e.getKey(), n.longValue());
                }
            }
            long applied = IngestBenchmark.applied(now);
            progress.accept(
                    String.format(
                            Locale.ROOT, "memory: %,d of %,d events applied", applied, total));
            quiet = applied >= total && now.equals(last) ? quiet + 1 : 0;
            last = now;
        }
        return last;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(300);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
