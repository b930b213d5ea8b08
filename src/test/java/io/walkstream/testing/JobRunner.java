package io.walkstream.testing;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the real walkstream dataflow on bounded in-memory input (on the test's MiniCluster) and
 * returns every answer plus the job's counters. Kryo fallback is switched off, so a type that Flink
 * cannot serialise natively fails the test instead of silently slowing the job.
 */
public final class JobRunner {
    private JobRunner() {}

    /** The answers of one run, and the per-step counters summed over subtasks. */
    public record Run(List<Recommendation> results, Map<String, Object> accumulators) {
        public Recommendation get(String requestId) {
            return results.stream()
                    .filter(r -> r.requestId.equals(requestId))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new AssertionError(
                                            "no answer for "
                                                    + requestId
                                                    + " among "
                                                    + results.size()));
        }

        /**
         * The counter {@code walkstream.<name>} summed over subtasks. A name no operator registered
         * (see {@code StepCounter.register}) fails the test, listing the names that exist: a
         * renamed or misspelt counter must not read as 0 and silently pass a bound.
         */
        public long counter(String name) {
            Object v = accumulators.get("walkstream." + name);
            if (v == null) {
                throw new AssertionError(
                        "no counter 'walkstream."
                                + name
                                + "'; the job registered "
                                + counterNames());
            }
            return ((Number) v).longValue();
        }

        /** The names {@link #counter} knows (without the {@code walkstream.} prefix), sorted. */
        public SortedSet<String> counterNames() {
            SortedSet<String> names = new TreeSet<>();
            for (String k : accumulators.keySet()) {
                if (k.startsWith("walkstream.")) {
                    names.add(k.substring("walkstream.".length()));
                }
            }
            return names;
        }
    }

    public static Run run(JobConfig cfg, List<Event> events, List<Request> requests)
            throws Exception {
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(cfg.job.parallelism);
        // Copies: the job mutates requests (ingest time) and a test may run the same input twice.
        DataStream<Event> ev =
                env.fromData(copies(events, Event.class), TypeInformation.of(Event.class))
                        .name("test-events");
        DataStream<Request> rq =
                env.fromData(copies(requests, Request.class), TypeInformation.of(Request.class))
                        .name("test-requests");
        DataStream<Recommendation> out = WalkstreamJob.build(cfg, ev, rq);
        List<Recommendation> results = new ArrayList<>();
        JobExecutionResult result;
        try (CloseableIterator<Recommendation> it = out.collectAsync()) {
            JobClient client = env.executeAsync(cfg.job.name);
            it.forEachRemaining(results::add);
            result = client.getJobExecutionResult().get();
        }
        return new Run(results, new LinkedHashMap<>(result.getAllAccumulatorResults()));
    }

    /** Deep copies made by Flink's own serializer for the type, so no field can be forgotten. */
    private static <T> List<T> copies(List<T> values, Class<T> type) {
        TypeSerializer<T> serializer =
                TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        List<T> copy = new ArrayList<>(values.size());
        for (T v : values) {
            copy.add(serializer.copy(v));
        }
        return copy;
    }
}
