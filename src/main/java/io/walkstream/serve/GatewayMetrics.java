package io.walkstream.serve;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The gateway's own metrics in the Prometheus text format (version 0.0.4), written by hand: a few
 * counters and one histogram do not justify a metrics library on the classpath.
 */
public final class GatewayMetrics {
    /** Upper bounds of the latency histogram's buckets, in seconds. */
    static final double[] BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
    };

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder ignoredReplies = new LongAdder();
    private final Map<String, LongAdder> unauthenticated = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rateLimited = new ConcurrentHashMap<>();
    private volatile IntSupplier inFlight = () -> 0;
    private volatile int inFlightLimit;
    private volatile IntSupplier rateLimitClients = () -> 0;
    private volatile int rateLimitMaxClients;

    /**
     * Distinct {@code client} labels kept for refused calls. Without keys a client is its IP
     * address, and a series per address would let callers grow the metrics without bound; past this
     * many clients the rest are counted under {@code client="other"}.
     */
    static final int MAX_CLIENT_LABELS = 1_000;

    /** Per-API histogram with cumulative buckets, as Prometheus expects. */
    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void record(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                }
            }
            count.increment();
            sum.add(seconds);
        }
    }

    void inFlight(IntSupplier gauge, int limit) {
        this.inFlight = gauge;
        this.inFlightLimit = limit;
    }

    /**
     * One finished call: {@code api} http|grpc, {@code op} recommend|events, {@code outcome}
     * ok|partial|invalid|….
     */
    void call(String api, String op, String outcome, long nanos) {
        calls.computeIfAbsent(api + '\u0000' + op + '\u0000' + outcome, k -> new LongAdder())
                .increment();
        if (op.equals("recommend")) {
            latency.computeIfAbsent(api, k -> new Histogram()).record(nanos / 1e9);
            if (outcome.equals(GatewayException.Kind.DEADLINE.code)) {
                timeouts.increment();
            }
        }
    }

    void unauthenticated(String api) {
        unauthenticated.computeIfAbsent(api, k -> new LongAdder()).increment();
    }

    void rateLimited(String api, String client) {
        String key = api + '\u0000' + client;
        if (!rateLimited.containsKey(key) && rateLimited.size() >= MAX_CLIENT_LABELS) {
            key = api + '\u0000' + "other";
        }
        rateLimited.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void rateLimitClients(IntSupplier gauge, int max) {
        this.rateLimitClients = gauge;
        this.rateLimitMaxClients = max;
    }

    void eventsProduced(int n) {
        events.add(n);
    }

    void ignoredReply() {
        ignoredReplies.increment();
    }

    public long timeouts() {
        return timeouts.sum();
    }

    // A long list, not phases: one Prometheus metric family after another, in the order they are
    // exported.
    @SuppressWarnings("checkstyle:MethodLength")
    public String render() {
        StringBuilder sb = new StringBuilder(2048);
        sb.append(
                "# HELP walkstream_gateway_calls_total Finished calls by API, operation and outcome.\n");
        sb.append("# TYPE walkstream_gateway_calls_total counter\n");
        calls.forEach(
                (key, n) -> {
                    String[] p = key.split("\u0000");
                    sb.append("walkstream_gateway_calls_total{api=\"")
                            .append(p[0])
                            .append("\",op=\"")
                            .append(p[1])
                            .append("\",outcome=\"")
                            .append(p[2])
                            .append("\"} ")
                            .append(n.sum())
                            .append('\n');
                });
        sb.append(
                "# HELP walkstream_gateway_recommend_duration_seconds Recommendation calls, arrival to answer (any outcome).\n");
        sb.append("# TYPE walkstream_gateway_recommend_duration_seconds histogram\n");
        latency.forEach(
                (api, h) -> {
                    for (int i = 0; i < BUCKETS.length; i++) {
                        sb.append("walkstream_gateway_recommend_duration_seconds_bucket{api=\"")
                                .append(api)
                                .append("\",le=\"")
                                .append(fmt(BUCKETS[i]))
                                .append("\"} ")
                                .append(h.counts[i].sum())
                                .append('\n');
                    }
                    long count = h.count.sum();
                    sb.append("walkstream_gateway_recommend_duration_seconds_bucket{api=\"")
                            .append(api)
                            .append("\",le=\"+Inf\"} ")
                            .append(count)
                            .append('\n');
                    sb.append("walkstream_gateway_recommend_duration_seconds_sum{api=\"")
                            .append(api)
                            .append("\"} ")
                            .append(fmt(h.sum.sum()))
                            .append('\n');
                    sb.append("walkstream_gateway_recommend_duration_seconds_count{api=\"")
                            .append(api)
                            .append("\"} ")
                            .append(count)
                            .append('\n');
                });
        gauge(
                sb,
                "walkstream_gateway_timeouts_total",
                "counter",
                "Recommendation calls answered 504 / DEADLINE_EXCEEDED.",
                timeouts.sum());
        gauge(
                sb,
                "walkstream_gateway_in_flight",
                "gauge",
                "Recommendation calls waiting for their answer.",
                inFlight.getAsInt());
        gauge(
                sb,
                "walkstream_gateway_in_flight_limit",
                "gauge",
                "Bound on in-flight calls; beyond it calls get 429.",
                inFlightLimit);
        gauge(
                sb,
                "walkstream_gateway_events_total",
                "counter",
                "Events produced to Kafka.",
                events.sum());
        gauge(
                sb,
                "walkstream_gateway_ignored_replies_total",
                "counter",
                "Answers read that no call of this instance waits for (other instances' or after the deadline).",
                ignoredReplies.sum());
        sb.append(
                "# HELP walkstream_gateway_unauthenticated_total Calls refused with 401 / UNAUTHENTICATED: no, malformed or unknown API key.\n");
        sb.append("# TYPE walkstream_gateway_unauthenticated_total counter\n");
        unauthenticated.forEach(
                (api, n) ->
                        sb.append("walkstream_gateway_unauthenticated_total{api=\"")
                                .append(api)
                                .append("\"} ")
                                .append(n.sum())
                                .append('\n'));
        sb.append(
                "# HELP walkstream_gateway_rate_limited_total Calls refused with 429 / RESOURCE_EXHAUSTED by the client's rate limit.\n");
        sb.append("# TYPE walkstream_gateway_rate_limited_total counter\n");
        rateLimited.forEach(
                (key, n) -> {
                    String[] p = key.split("\u0000");
                    sb.append("walkstream_gateway_rate_limited_total{api=\"")
                            .append(p[0])
                            .append("\",client=\"")
                            .append(label(p[1]))
                            .append("\"} ")
                            .append(n.sum())
                            .append('\n');
                });
        gauge(
                sb,
                "walkstream_gateway_rate_limit_clients",
                "gauge",
                "Clients with a rate-limit bucket (idle ones are dropped).",
                rateLimitClients.getAsInt());
        gauge(
                sb,
                "walkstream_gateway_rate_limit_clients_limit",
                "gauge",
                "Most buckets kept at once.",
                rateLimitMaxClients);
        return sb.toString();
    }

    /** A label value as the text format wants it: backslash, quote and newline escaped. */
    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void gauge(StringBuilder sb, String name, String type, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }
}
