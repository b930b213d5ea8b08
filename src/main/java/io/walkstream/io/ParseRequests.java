package io.walkstream.io;

import io.walkstream.model.Request;
import io.walkstream.walk.StepCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses the requests topic; rejected records go to {@link DeadLetters#TAG}.
 *
 * <p>A request's {@code ingestedAtMs} is its Kafka record timestamp, so {@code latencyMs} covers
 * the hop through Kafka (producer → broker → job) as a client experiences it. A timestamp in the
 * future (producer clock ahead of ours) would shorten the latency, so it is capped at now; a
 * missing one (-1) falls back to now.
 */
public class ParseRequests extends ProcessFunction<KafkaRecord, Request> {
    private static final long serialVersionUID = 1L;

    private final int maxK;
    private final String topicName;

    private transient StepCounter requests;
    private transient Counter deadLetters;

    public ParseRequests(int maxK, String topicName) {
        this.maxK = maxK;
        this.topicName = topicName;
    }

    @Override
    public void open(OpenContext openContext) {
        requests = StepCounter.register(getRuntimeContext(), "ingest.requests");
        deadLetters = DeadLetters.counter(getRuntimeContext(), topicName);
    }

    @Override
    public void processElement(KafkaRecord r, Context ctx, Collector<Request> out) {
        long now = ctx.timerService().currentProcessingTime();
        Parsed<Request> p;
        try {
            p = JsonCodec.parseRequest(r.value, maxK, now);
        } catch (RuntimeException e) {
            p = Parsed.rejected("internal error: " + e);
        }
        if (!p.isOk()) {
            deadLetters.inc();
            ctx.output(DeadLetters.TAG, DeadLetter.of(r, p.error(), now));
            return;
        }
        Request req = p.value();
        req.ingestedAtMs = ingestedAt(r.timestamp, now);
        requests.inc();
        out.collect(req);
    }

    static long ingestedAt(long recordTimestamp, long now) {
        return recordTimestamp > 0 ? Math.min(recordTimestamp, now) : now;
    }
}
