package io.walkstream.cli;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig;
import io.walkstream.config.WalkConfig;
import io.walkstream.io.JsonCodec;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The answers a failure-free run gives: the same dataflow on bounded in-memory input in a local
 * mini cluster, no Kafka, no checkpoints, every request answered on the complete graph ({@code
 * END_OF_INPUT}). Answers are compared as JSON without {@code latencyMs}.
 */
final class ReferenceAnswers {
    private ReferenceAnswers() {}

    /**
     * {@code cfg} as the cluster runs it; checkpoints and the state backend are switched off/to
     * heap here.
     */
    static Map<String, String> compute(JobConfig cfg, List<Event> events, List<Request> requests)
            throws Exception {
        cfg.job.checkpointIntervalMs = 0;
        cfg.walk.alignment =
                WalkConfig.Alignment.END_OF_INPUT; // the complete graph, as the cluster sees it
        cfg.job.checkpointDir = null;
        cfg.job.stateBackend = RuntimeConfig.StateBackend.HASHMAP;
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        DataStream<Event> ev = env.fromData(events, TypeInformation.of(Event.class));
        DataStream<Request> rq = env.fromData(requests, TypeInformation.of(Request.class));
        Map<String, String> out = new TreeMap<>();
        try (CloseableIterator<Recommendation> it =
                WalkstreamJob.build(cfg, ev, rq).collectAsync()) {
            env.executeAsync("walkstream-reference");
            it.forEachRemaining(r -> out.put(r.requestId, canonical(r)));
        }
        return out;
    }

    /** An answer as JSON without the one wall-clock field, {@code latencyMs}. */
    static String canonical(Recommendation r) {
        long latency = r.latencyMs;
        r.latencyMs = 0;
        String s = JsonCodec.writeString(r);
        r.latencyMs = latency;
        return s;
    }
}
