package io.walkstream.testing;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.io.Serializable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A deterministic event and request stream in which record {@code n} is a pure function of {@code
 * n}, read through Flink's checkpointed {@link DataGeneratorSource}: after a failure or a restore
 * (at any parallelism) the source resumes where its last checkpoint was, so the job sees every
 * record exactly once if — and only if — recovery is correct. The first {@code items} records are
 * item metadata (one category each), then interactions with skewed item popularity, one second of
 * event time apart. Requests are spread over the same event time, for the users of the stream.
 */
public final class SyntheticStream implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final long T0 = 1_700_000_000_000L;
    static final Action[] ACTIONS = {
        Action.VIEW, Action.VIEW, Action.CLICK, Action.LIKE, Action.CART, Action.PURCHASE
    };

    public final int users;
    public final int items;
    public final int interactions;
    public final int requests;

    public SyntheticStream(int users, int items, int interactions, int requests) {
        this.users = users;
        this.items = items;
        this.interactions = interactions;
        this.requests = requests;
    }

    public long events() {
        return items + (long) interactions;
    }

    public Event event(long n) {
        if (n < items) {
            return Event.item("i" + n, "cat" + (n % 6), null, null, null, T0 - 1000);
        }
        long k = n - items;
        long h = mix(k);
        int user = (int) Math.floorMod(h, (long) users);
        double u = (Math.floorMod(h >>> 20, 1_000_000L)) / 1_000_000.0;
        int item = (int) (items * u * u); // popular items have low ids
        Action a = ACTIONS[(int) Math.floorMod(h >>> 40, (long) ACTIONS.length)];
        return Event.interaction("u" + user, "i" + item, a, T0 + k * 1000);
    }

    /** Request {@code n}: for user n mod users, stamped at an event time spread over the stream. */
    public Request request(long n) {
        long ts = T0 + (interactions * 1000L) * (n + 1) / requests + 500;
        Request r = Request.forUser("r" + n, "u" + (n % users), 10, ts);
        r.walkers = 2000;
        return r;
    }

    /** The event stream; {@code perSecond} = 0 for no rate limit. */
    public SingleOutputStreamOperator<Event> eventSource(
            StreamExecutionEnvironment env, double perSecond) {
        return eventSource(env, limiter(perSecond));
    }

    /** The event stream, paced by {@code limiter} (for example a {@link SourceGate}). */
    public SingleOutputStreamOperator<Event> eventSource(
            StreamExecutionEnvironment env, RateLimiterStrategy<?> limiter) {
        SyntheticStream self = this;
        GeneratorFunction<Long, Event> f = self::event;
        return env.fromSource(
                        new DataGeneratorSource<>(
                                f, events(), limiter, TypeInformation.of(Event.class)),
                        WatermarkStrategy.noWatermarks(),
                        "synthetic-events")
                .uid("synthetic-events");
    }

    public SingleOutputStreamOperator<Request> requestSource(
            StreamExecutionEnvironment env, double perSecond) {
        return requestSource(env, limiter(perSecond));
    }

    public SingleOutputStreamOperator<Request> requestSource(
            StreamExecutionEnvironment env, RateLimiterStrategy<?> limiter) {
        SyntheticStream self = this;
        GeneratorFunction<Long, Request> f = self::request;
        return env.fromSource(
                        new DataGeneratorSource<>(
                                f, requests, limiter, TypeInformation.of(Request.class)),
                        WatermarkStrategy.noWatermarks(),
                        "synthetic-requests")
                .uid("synthetic-requests");
    }

    /** {@code perSecond} records a second over all subtasks; 0 for no limit. */
    public static RateLimiterStrategy<?> limiter(double perSecond) {
        return perSecond > 0
                ? RateLimiterStrategy.perSecond(perSecond)
                : RateLimiterStrategy.noOp();
    }

    static long mix(long x) {
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return (x ^ (x >>> 31)) & Long.MAX_VALUE;
    }
}
