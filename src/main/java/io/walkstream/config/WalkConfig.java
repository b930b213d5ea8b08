package io.walkstream.config;

import java.io.Serializable;
import java.util.List;

/** How walks run: walkers per request, seeds, deadline, and how requests see concurrent events. */
public class WalkConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * How a walk step treats events that are still in flight when walkers reach it.
     * NONE: walkers use the state as it is (lowest latency; the live default).
     * WATERMARK: a step holds walkers until the event watermark has passed the request's
     * timestamp, so a request sees exactly the events before it — replays and evaluations give
     * the same answer every time, at the cost of the watermark's delay.
     * END_OF_INPUT: walkers wait until the (bounded) event input has ended, then see every event
     * stamped before their request — for offline evaluation and replays, where item degrees and
     * ring-buffer contents must not depend on how far the replay had run when a request arrived.
     */
    public enum Alignment { NONE, WATERMARK, END_OF_INPUT }

    /** Walkers per request (overridable per request up to {@link #maxWalkers}). */
    public int walkers = 1000;
    public int maxWalkers = 100_000;
    /**
     * The last hop (Context → item) sends each walker group's expected mass to up to
     * {@code lastHopFanout × walkers} items instead of one sampled item per walker
     * (Rao-Blackwellisation): less sampling noise in the visit estimates, up to this many times the
     * messages into Score and Rank. 0: one item per walker.
     */
    public int lastHopFanout = 8;
    /**
     * Walkers a step moves while handling one record travel as one record per downstream subtask, and
     * Rank gets one record per request from each step, with arrivals at the same item summed
     * (see docs/performance.md). Same answers; needs aligned checkpoints (the job sets them).
     */
    public boolean batching = true;
    /**
     * Network buffer timeout, in ms, of the operators on a request's path (the requests source, Seed,
     * Context and Score when {@link #batching} is on, Rank — not Item, which also sends a trending
     * update per interaction); -1 keeps the job's ({@code execution.buffer-timeout},
     * 5 ms in the CLI). With batching a request sends a few records per shuffle, so sending them at
     * once (0) costs little and saves up to a buffer timeout at each of the six shuffles.
     */
    public long bufferTimeoutMs = 0;
    /**
     * Share of the walkers on a seed item that follow its transition edges (what users did next, see
     * {@code graph.transitionWindow}) straight to the next items, as expected mass; the rest take the
     * co-engagement hop (item → user → item). Items without transitions send all walkers the
     * co-engagement way. Overridable per strategy ({@code transitionShare} of a walk source).
     */
    public double transitionShare = 0.3;
    /** The user's strongest seeds (recent items, weighted) that walks start from. */
    public int maxSeeds = 64;
    /**
     * Recency of the seeds, counted in interactions: an interaction's seed weight halves for every
     * this many of the user's interactions that are more recent than it (on top of the action
     * weight and the time decay of {@code graph.halfLifeMs}). Favours what the user did last while
     * older behaviour still contributes a tail. 0: off (every interaction weighs by time alone).
     */
    public double seedHalfLife = 2;
    /**
     * Deadline after which Rank answers with what it has, flagged partial. It counts from when Seed
     * starts the walk, and every walker message carries it: steps drop work for requests past it.
     */
    public long timeoutMs = 2000;
    /**
     * Admission control: walks started per second, shared evenly by the Seed subtasks (a token
     * bucket each, holding at most one second's worth). A request beyond it is answered at once,
     * empty, with {@code "shed": true} and a reason. 0: no limit. Size it from the bench: a little
     * below the request rate the job sustains at your latency target (docs/performance.md).
     */
    public double maxRequestsPerSecond = 0;
    /**
     * A request that reaches Seed more than this long after the job read it (time in the job's own
     * buffers; time in Kafka before does not count) is answered as shed instead of walked: its caller
     * has stopped waiting, and walking it would only delay the requests behind it. 0: the request's own deadline ({@link #timeoutMs} or
     * the request's {@code timeoutMs}).
     */
    public long maxQueueMs = 0;
    public Alignment alignment = Alignment.NONE;
    /** Event-time watermark: how far out of order events may arrive. */
    public long outOfOrdernessMs = 1000;
    /** An event source partition silent for this long stops holding the watermark back; 0 disables. */
    public long idleTimeoutMs = 5000;

    void validate(List<String> problems) {
        GraphConfig.positive(problems, "walk.walkers", walkers);
        GraphConfig.positive(problems, "walk.maxWalkers", maxWalkers);
        if (walkers > maxWalkers) problems.add("walk.walkers (" + walkers + ") exceeds walk.maxWalkers (" + maxWalkers + ")");
        GraphConfig.positive(problems, "walk.maxSeeds", maxSeeds);
        if (!(transitionShare >= 0 && transitionShare <= 1)) problems.add("walk.transitionShare must be in [0, 1], got " + transitionShare);
        if (!(seedHalfLife >= 0) || Double.isInfinite(seedHalfLife)) {
            problems.add("walk.seedHalfLife must be a finite number >= 0 (0: off), got " + seedHalfLife);
        }
        if (lastHopFanout < 0 || lastHopFanout > io.walkstream.model.Hop.TOKENS_PER_WALKER) {
            problems.add("walk.lastHopFanout must be in [0, " + io.walkstream.model.Hop.TOKENS_PER_WALKER + "], got " + lastHopFanout);
        }
        GraphConfig.positive(problems, "walk.timeoutMs", timeoutMs);
        if (!(maxRequestsPerSecond >= 0) || Double.isInfinite(maxRequestsPerSecond)) {
            problems.add("walk.maxRequestsPerSecond must be a finite number >= 0 (0: no limit), got " + maxRequestsPerSecond);
        }
        if (maxQueueMs < 0) problems.add("walk.maxQueueMs must be >= 0 (0: the request's deadline), got " + maxQueueMs);
        if (bufferTimeoutMs < -1) problems.add("walk.bufferTimeoutMs must be >= -1, got " + bufferTimeoutMs);
        if (alignment == null) problems.add("walk.alignment must be NONE, WATERMARK or END_OF_INPUT");
        if (outOfOrdernessMs < 0) problems.add("walk.outOfOrdernessMs must be >= 0, got " + outOfOrdernessMs);
        if (idleTimeoutMs < 0) problems.add("walk.idleTimeoutMs must be >= 0, got " + idleTimeoutMs);
    }
}
