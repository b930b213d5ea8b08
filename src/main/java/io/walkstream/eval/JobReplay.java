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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
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

    /** Progress of the replays running in this JVM (the local mini cluster), by run id. */
    private static final Map<String, Progress> SENT = new ConcurrentHashMap<>();

    /**
     * Counts training events as the job's source emits them: the replay's progress (local mini
     * cluster only).
     */
    private static final class CountSent implements MapFunction<Event, Event> {
        private final String run;
        private transient Progress progress;

        CountSent(String run) {
            this.run = run;
        }

        @Override
        public Event map(Event e) {
            if (progress == null) {
                progress = SENT.get(run);
            }
            if (progress != null) {
                progress.step();
            }
            return e;
        }
    }

    public record Answers(
            Map<String, Recommendation> byRequestId, Map<String, Object> counters, long wallMs) {}

    /** Every request at once (the window is all of them). */
    public static Answers run(JobConfig cfg, List<Event> events, List<Request> requests)
            throws Exception {
        return run(cfg, events, requests, 0);
    }

    /**
     * @param window most requests open at once; 0: all of them (they all walk when the replay ends)
     */
    public static Answers run(JobConfig cfg, List<Event> events, List<Request> requests, int window)
            throws Exception {
        Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(cfg.job.parallelism);
        env.setBufferTimeout(5);
        long start = System.nanoTime();
        String run = UUID.randomUUID().toString();
        Progress replay =
                Progress.start(
                        "walkstream job: replay", "training events into the job", events.size());
        Progress answered = null;
        SENT.put(run, replay);
        DataStream<Event> source =
                env.fromData(new ArrayList<>(events), TypeInformation.of(Event.class))
                        .name("eval-train-events");
        // Chained to the source (same parallelism): the events reach the job in the same order as
        // without it.
        DataStream<Event> ev =
                source.map(new CountSent(run))
                        .returns(TypeInformation.of(Event.class))
                        .name("eval-progress")
                        .setParallelism(source.getParallelism());
        boolean windowed = window > 0 && window < requests.size();
        RequestWindow gate = windowed ? new RequestWindow(window, requests) : null;
        DataStream<Request> rq =
                windowed
                        ? env.addSource(
                                        gate.source(),
                                        "eval-requests",
                                        TypeInformation.of(Request.class))
                                .setParallelism(1)
                        : env.fromData(new ArrayList<>(requests), TypeInformation.of(Request.class))
                                .name("eval-requests");
        DataStream<Recommendation> out = WalkstreamJob.build(cfg, ev, rq);
        Map<String, Recommendation> answers = new HashMap<>();
        JobExecutionResult result;
        try (CloseableIterator<Recommendation> it = out.collectAsync()) {
            JobClient client = env.executeAsync(cfg.job.name);
            while (it.hasNext()) {
                Recommendation r = it.next();
                if (answered == null) {
                    replay.finish();
                    answered =
                            Progress.start("walkstream job: answers", "requests", requests.size());
                }
                answers.put(r.requestId, r);
                answered.step();
                if (gate != null) {
                    gate.answered();
                }
            }
            result = client.getJobExecutionResult().get();
        } finally {
            if (gate != null) {
                gate.close();
            }
            SENT.remove(run);
            replay.finish();
            if (answered != null) {
                answered.finish();
            }
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        return new Answers(answers, new LinkedHashMap<>(result.getAllAccumulatorResults()), wallMs);
    }
}
