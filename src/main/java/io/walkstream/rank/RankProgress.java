package io.walkstream.rank;

import io.walkstream.model.Hop;

/** Rank's running count for one request: what has been accounted for so far. */
public class RankProgress {
    /**
     * Arrived walkers in accounting tokens ({@link io.walkstream.model.Hop#TOKENS_PER_WALKER} per
     * walker).
     */
    public int arrived;

    public int absorbed;
    public int probes;

    /** Trend units accounted for (arrived with an item, or absorbed). */
    public int trendDone;

    /** Processing-time deadline registered for the request (0 until the first message). */
    public long deadline;

    /** Set once answered; late messages are then counted and ignored until the record expires. */
    public boolean answered;

    public RankProgress() {}

    /** Whole walkers that arrived. */
    public int arrivedWalkers() {
        return arrived / Hop.TOKENS_PER_WALKER;
    }

    /** Every walker sent is accounted for (arrived or absorbed). */
    public boolean walkersDone(int walkers) {
        return arrived + (long) absorbed * Hop.TOKENS_PER_WALKER
                >= (long) walkers * Hop.TOKENS_PER_WALKER;
    }
}
