package io.walkstream.model;

/**
 * What Rank needs to know about a request besides the walkers: who asked, how many walkers to wait
 * for, how many probe answers will come, and what must not be recommended. Sent once per request by
 * the Seed step.
 */
public class RequestContext {
    public String requestId;
    public String user;
    public String item;
    public String channel;
    public int k;
    public long ts;

    /** Walkers Rank must account for (arrived or absorbed) before the answer is complete. */
    public int walkers;

    /** Walkers the Seed step could not place (no seeds): absorbed before the walk began. */
    public int absorbedAtSeed;

    /** Probe answers (seed vectors and candidate facts) Rank must receive. */
    public int probes;

    /**
     * Items never to return: the user's history, dislikes, the request's exclusions, the query
     * item.
     */
    public long[] exclude;

    /** Candidate mode: the external ids to score, in request order. */
    public String[] candidates;

    public long ingestedAtMs;
    public long timeoutMs;

    /**
     * When Rank answers with what it has (processing time, epoch ms), set when Seed starts the
     * walk; 0: Rank's own.
     */
    public long deadline;

    /**
     * Why the request was not walked (admission control, or it waited past its deadline); null:
     * walked.
     */
    public String shed;

    /** For an inspect request: the node inspected (the answer holds its state, no items). */
    public String inspect;

    /** Trend units Rank must account for (trending items asked for). */
    public int trendUnits;

    /** Followed users whose walkers count for the "follows" source. */
    public long[] followees;

    /** The seed items and, per seed, its strongest action (for "because you purchased X"). */
    public long[] seedKeys;

    public byte[] seedActions;

    /** The strategy the answer follows (the fallback's, when the user had no history). */
    public Plan plan;

    public RequestContext() {}

    public boolean candidateMode() {
        return candidates != null && candidates.length > 0;
    }
}
