package io.walkstream.io;

import io.walkstream.model.Event;
import io.walkstream.model.Validation;
import io.walkstream.walk.StepCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses the interactions or items topic: valid events continue, anything else goes to {@link
 * DeadLetters#TAG} with the reason. Never throws on input, so one bad record cannot stop the job.
 */
public class ParseEvents extends ProcessFunction<KafkaRecord, Event> {
    private static final long serialVersionUID = 1L;

    public enum Topic {
        INTERACTIONS,
        ITEMS
    }

    private final Topic topic;
    private final String topicName;
    private final int exactDim;
    private final int maxDim;

    private transient StepCounter interactions;
    private transient StepCounter follows;
    private transient StepCounter items;
    private transient Counter deadLetters;

    public ParseEvents(Topic topic, String topicName) {
        this(topic, topicName, 0, Validation.MAX_VECTOR);
    }

    /**
     * {@code exactDim}, {@code maxDim}: the rule on supplied vectors (embedding.suppliedDim /
     * maxSuppliedDim).
     */
    public ParseEvents(Topic topic, String topicName, int exactDim, int maxDim) {
        this.topic = topic;
        this.topicName = topicName;
        this.exactDim = exactDim;
        this.maxDim = maxDim;
    }

    @Override
    public void open(OpenContext openContext) {
        if (topic == Topic.INTERACTIONS) {
            interactions = StepCounter.register(getRuntimeContext(), "ingest.interactions");
            follows = StepCounter.register(getRuntimeContext(), "ingest.follows");
        } else {
            items = StepCounter.register(getRuntimeContext(), "ingest.items");
        }
        deadLetters = DeadLetters.counter(getRuntimeContext(), topicName);
    }

    /**
     * Parses one record of an event topic; never throws (a parser bug must not take the job down
     * either).
     */
    static Parsed<Event> parse(Topic topic, byte[] value, long now) {
        return parse(topic, value, now, 0, Validation.MAX_VECTOR);
    }

    static Parsed<Event> parse(Topic topic, byte[] value, long now, int exactDim, int maxDim) {
        try {
            return topic == Topic.INTERACTIONS
                    ? JsonCodec.parseInteraction(value, now)
                    : JsonCodec.parseItem(value, now, exactDim, maxDim);
        } catch (RuntimeException e) {
            return Parsed.rejected("internal error: " + e);
        }
    }

    @Override
    public void processElement(KafkaRecord r, Context ctx, Collector<Event> out) {
        long now = ctx.timerService().currentProcessingTime();
        // Records from the Kafka source arrive parsed (see EventRecordDeserializer); others are
        // parsed here.
        Parsed<Event> p =
                r.event != null
                        ? Parsed.ok(r.event)
                        : r.error != null
                                ? Parsed.rejected(r.error)
                                : parse(topic, r.value, now, exactDim, maxDim);
        if (!p.isOk()) {
            deadLetters.inc();
            ctx.output(DeadLetters.TAG, DeadLetter.of(r, p.error(), now));
            return;
        }
        Event e = p.value();
        switch (e.kind) {
            case Event.INTERACTION -> interactions.inc();
            case Event.FOLLOW -> follows.inc();
            default -> items.inc();
        }
        out.collect(e);
    }
}
