package io.walkstream.config;

import io.walkstream.model.Hop;
import java.io.Serializable;
import java.util.List;

/** How walks run: walkers per request, seeds, deadline, and how requests see concurrent events. */
public class WalkConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * How a walk step treats events that are still in flight when walkers reach it. NONE: walkers
     * use the state as it is (lowest latency; the live default). WATERMARK: a step holds walkers
     * until the event watermark has passed the request's timestamp, so a request sees exactly the
     * events before it — replays and evaluations give the same answer every time, at the cost of
     * the watermark's delay. END_OF_INPUT: walkers wait until the (bounded) event input has ended,
     * then see every event stamped before their request — for offline evaluation and replays, where
     * item degrees and ring-buffer contents must not depend on how far the replay had run when a
     * request arrived.
     */
    public enum Alignment {
        NONE,
        WATERMARK,
        END_OF_INPUT
    }

    @Setting("Walkers per request; a request's `walkers` overrides it up to `maxWalkers`.")
    public int walkers = 1000;

    @Setting("Largest `walkers` a request may ask for.")
    public int maxWalkers = 100_000;

    @Setting(
            "The last hop (Context → item) sends each walker group's expected mass to up to `lastHopFanout × walkers` "
                    + "items (exact shares when the context has no more items) instead of one sampled item per walker: less "
                    + "sampling noise, up to this many times the messages into Score and Rank. 0: one item per walker; at most 64. "
                    + "See [how it works](how-it-works.md#the-last-hop-sends-expected-mass).")
    public int lastHopFanout = 8;

    @Setting(
            "Walkers cross each shuffle as one record per downstream subtask, and Rank gets one record per request "
                    + "with arrivals summed per item: same answers, far fewer records. Turns unaligned checkpoints off.")
    public boolean batching = true;

    @Setting(
            "Network buffer timeout, in ms, of the operators on a request's path (requests source, Seed, Context, "
                    + "Score, Rank; not Item, which also carries a trending update per interaction). -1: the job's "
                    + "(`execution.buffer-timeout`, 5 ms from the CLI). With batching a request is a few records per shuffle, "
                    + "so sending them at once costs little; it halved the round trip's median in the benchmark.")
    public long bufferTimeoutMs = 0;

    @Setting(
            "Share of the walkers on a seed item that follow its transition edges (see `graph.transitionWindow`) "
                    + "straight to the next items, as expected mass; the rest take the co-engagement hop (item → user → item). "
                    + "The transitions hop skips the next items the request excludes (those the user already has); an item "
                    + "without transitions, or whose every next item is excluded, sends all its walkers the co-engagement way. "
                    + "1 by default: on the validation splits the co-engagement walk added nothing where transitions exist, "
                    + "at 13–17% more messages (see [evaluation](evaluation.md)). Per strategy: a walk source's "
                    + "`transitionShare`.")
    public double transitionShare = 1;

    @Setting(
            "The transitions hop sends the diverted walkers' expected mass to up to `transitionFanout × walkers` "
                    + "next items (exact shares when the item has no more) — the last hop's spread, for transitions; "
                    + "-1: `lastHopFanout`. At most 64. 2 (with `transitionTop`): a seed with few walkers places "
                    + "them on few next items; on the MovieLens validation splits as good as 8 (+1% / −0.6% HR@10) "
                    + "at 70% of the messages into Score and about 80% into Rank.")
    public int transitionFanout = 2;

    @Setting(
            "When > 0, the transitions hop is exact instead of spread: a seed's diverted mass goes to its "
                    + "strongest next items, at most `transitionTop` and `transitionFanout × walkers`, each its share "
                    + "of the seed's whole row (no sampling; the weaker rest is left out), so a seed costs at most "
                    + "that many messages into Score. 0: the spread of `transitionFanout`.")
    public int transitionTop = 128;

    @Setting("The user's strongest seeds (recent items, weighted) that walks start from.")
    public int maxSeeds = 64;

    @Setting(
            "Recency of the seeds, counted in interactions: an interaction's seed weight halves for every this many "
                    + "of the user's more recent interactions (on top of action weight × time decay; rescaled so behaviour keeps "
                    + "its overall weight against follows). 0: off, seeds weigh by action and time only. Applies to every "
                    + "strategy; see [evaluation](evaluation.md).")
    public double seedHalfLife = 2;

    @Setting(
            "A user whose last interaction is older than this at the request is stale: what they did last says "
                    + "little about what comes next, so their seeds weigh without `seedHalfLife` and none of their "
                    + "walkers follow transition edges (a long horizon: a dormant user, a replay, requests asked long "
                    + "after the data). 0 (the default): never stale — on leave-last-out asked long after the data it halves "
                    + "HR@10. See [evaluation](evaluation.md#time-split-and-stale-users).")
    public long staleAfterMs = 0;

    @Setting(
            "Deadline, counted from when Seed starts the walk; then Rank answers with what it has, `partial`. Every "
                    + "walker message carries it, and steps drop walkers past it (`<step>.expired`). A request's `timeoutMs` "
                    + "overrides it.")
    public long timeoutMs = 2000;

    @Setting(
            "Admission: walks started per second, shared by the Seed subtasks (a token bucket each, holding at most "
                    + "one second's worth). Beyond it a request is answered at once, empty, `\"shed\": true` with a reason "
                    + "(`seed.shed`, `rank.shed`). 0: no limit. Size it a little below the rate the job sustains at your latency "
                    + "target: [performance](performance.md#overload-admission-deadlines-shedding).")
    public double maxRequestsPerSecond = 0;

    @Setting(
            "A request reaching Seed later than this after the job read it (time in the job's buffers, not in Kafka) "
                    + "is answered as shed instead of walked: its caller has stopped waiting. 0: the request's own deadline.")
    public long maxQueueMs = 0;

    @Setting(
            "Which events a request sees: `NONE` (the state as the walkers find it; live serving), `WATERMARK` (every "
                    + "event up to the request's time; waits for the event watermark) or `END_OF_INPUT` (waits for the end of a "
                    + "bounded event input; exact replays and evaluations). With the last two every step applies a node's "
                    + "updates in event-time order, so answers survive a restore unchanged. See "
                    + "[how it works](how-it-works.md#which-events-a-request-sees) and "
                    + "[reliability](reliability.md#time-out-of-order-and-late-events).")
    public Alignment alignment = Alignment.NONE;

    @Setting("Event watermark's bound on out-of-order events.")
    public long outOfOrdernessMs = 1000;

    @Setting(
            "An event source partition silent for this long stops holding the watermark back; 0 disables.")
    public long idleTimeoutMs = 5000;

    void validate(List<String> problems) {
        GraphConfig.positive(problems, "walk.walkers", walkers);
        GraphConfig.positive(problems, "walk.maxWalkers", maxWalkers);
        if (walkers > maxWalkers) {
            problems.add(
                    "walk.walkers (" + walkers + ") exceeds walk.maxWalkers (" + maxWalkers + ")");
        }
        GraphConfig.positive(problems, "walk.maxSeeds", maxSeeds);
        if (!(transitionShare >= 0 && transitionShare <= 1)) {
            problems.add("walk.transitionShare must be in [0, 1], got " + transitionShare);
        }
        if (!(seedHalfLife >= 0) || Double.isInfinite(seedHalfLife)) {
            problems.add(
                    "walk.seedHalfLife must be a finite number >= 0 (0: off), got " + seedHalfLife);
        }
        if (transitionTop < 0) {
            problems.add("walk.transitionTop must be >= 0 (0: spread), got " + transitionTop);
        }
        if (transitionFanout < -1 || transitionFanout > Hop.TOKENS_PER_WALKER) {
            problems.add(
                    "walk.transitionFanout must be in [-1, "
                            + Hop.TOKENS_PER_WALKER
                            + "], got "
                            + transitionFanout);
        }
        if (lastHopFanout < 0 || lastHopFanout > Hop.TOKENS_PER_WALKER) {
            problems.add(
                    "walk.lastHopFanout must be in [0, "
                            + Hop.TOKENS_PER_WALKER
                            + "], got "
                            + lastHopFanout);
        }
        GraphConfig.positive(problems, "walk.timeoutMs", timeoutMs);
        if (!(maxRequestsPerSecond >= 0) || Double.isInfinite(maxRequestsPerSecond)) {
            problems.add(
                    "walk.maxRequestsPerSecond must be a finite number >= 0 (0: no limit), got "
                            + maxRequestsPerSecond);
        }
        if (maxQueueMs < 0) {
            problems.add(
                    "walk.maxQueueMs must be >= 0 (0: the request's deadline), got " + maxQueueMs);
        }
        if (bufferTimeoutMs < -1) {
            problems.add("walk.bufferTimeoutMs must be >= -1, got " + bufferTimeoutMs);
        }
        if (alignment == null) {
            problems.add("walk.alignment must be NONE, WATERMARK or END_OF_INPUT");
        }
        if (staleAfterMs < 0) {
            problems.add("walk.staleAfterMs must be >= 0, got " + staleAfterMs);
        }
        if (outOfOrdernessMs < 0) {
            problems.add("walk.outOfOrdernessMs must be >= 0, got " + outOfOrdernessMs);
        }
        if (idleTimeoutMs < 0) {
            problems.add("walk.idleTimeoutMs must be >= 0, got " + idleTimeoutMs);
        }
    }
}
