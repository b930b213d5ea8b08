package io.walkstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/** The answer to one request, as written to the {@code recommendations} topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Recommendation {
    public String requestId;
    public String user;
    public String item;
    public String channel;

    /** The strategy, its version and the experiment variant that produced this answer. */
    public String strategy;

    public Integer strategyVersion;
    public String variant;

    /**
     * Versions of the offline models whose vectors this answer used (the seeds' and the returned
     * items'), sorted; absent when only built-in vectors were used.
     */
    public String[] embeddingModels;

    public RecommendedItem[] items;

    /** For inspect requests: the node's state, by step (JSON object). */
    @JsonRawValue public String inspect;

    /**
     * True when the answer is not based on the full walk: the deadline passed, or walkers hit dead
     * ends.
     */
    public boolean partial;

    /** True when the deadline passed before every walker was accounted for. */
    public boolean timedOut;

    /**
     * True when the job did not walk the request (overload); the answer is empty and says why
     * (omitted when false).
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean shed;

    public String shedReason;
    public long latencyMs;
    public int walkers;
    public int arrived;
    public int absorbed;

    public Recommendation() {}

    public String getRequestId() {
        return requestId;
    }
}
