package io.walkstream.eval;

/** How a log is split into what is replayed and what is asked. */
public enum Protocol {
    /**
     * Each user's last interaction (ties broken by a hash of user and item) is held out; full
     * ranking.
     */
    LEAVE_LAST_OUT,
    /**
     * As leave-last-out, but the held-out item is ranked among N sampled negatives (candidate
     * scoring).
     */
    SAMPLED,
    /**
     * Train before a cut-off time; each user's items after it are the relevant set; full ranking.
     */
    TIME_SPLIT
}
