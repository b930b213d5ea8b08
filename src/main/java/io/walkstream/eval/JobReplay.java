package io.walkstream.eval;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Replays training events through the real walkstream dataflow (a local Flink mini cluster) and
 * asks every request after them; returns each answer by request id and the job's counters. With a
 * request window, at most that many requests walk at once ({@link RequestWindow}); the answers are
 * the same, the memory is bounded by the window instead of by the number of requests.
 */
public final class JobReplay {
    private JobReplay() {}

    public record Answers(Map<String, Recommendation> byRequestId, Map<String, Object> counters, long wallMs) {}

    /** Every request at once (the window is all of them). */
    public static Answers run(JobConfig cfg, List<Event> events, List<Request> requests) throws Exception {
        return run(cfg, events, requests, 0);
    }

    /** @param window most requests open at once; 0: all of them (they all walk when the replay ends) */
    public static Answers run(JobConfig cfg, List<Event> events, List<Request> requests, int window) throws Exception {
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(cfg.job.parallelism);
        env.setBufferTimeout(5);
        long start = System.nanoTime();
        DataStream<Event> ev = env.fromData(new ArrayList<>(events), TypeInformation.of(Event.class)).name("eval-train-events");
        boolean windowed = window > 0 && window < requests.size();
        RequestWindow gate = windowed ? new RequestWindow(window, requests) : null;
        DataStream<Request> rq = windowed
                ? env.addSource(gate.source(), "eval-requests", TypeInformation.of(Request.class)).setParallelism(1)
                : env.fromData(new ArrayList<>(requests), TypeInformation.of(Request.class)).name("eval-requests");
        DataStream<Recommendation> out = WalkstreamJob.build(cfg, ev, rq);
        Map<String, Recommendation> answers = new HashMap<>();
        JobExecutionResult result;
        try (CloseableIterator<Recommendation> it = out.collectAsync()) {
            JobClient client = env.executeAsync(cfg.job.name);
            it.forEachRemaining(r -> {
                answers.put(r.requestId, r);
                if (gate != null) gate.answered();
            });
            result = client.getJobExecutionResult().get();
        } finally {
            if (gate != null) gate.close();
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        return new Answers(answers, new LinkedHashMap<>(result.getAllAccumulatorResults()), wallMs);
    }
}
