package io.walkstream.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A recommendation request, in the JSON form of the {@code requests} topic and inside the job.
 *
 * <ul>
 *   <li>for a user: {@code user} set, {@code item} unset — walks start from the user's recent
 *       behaviour;
 *   <li>item-to-item ("more like this"): {@code item} set — walks start at that item; a {@code
 *       user}, if also given, only adds that user's history to the exclusions;
 *   <li>candidate scoring: {@code candidates} set — every listed item gets a score (walk visits
 *       plus embedding similarity), nothing else is returned.
 * </ul>
 *
 * Arrays, not lists: Flink serialises them without Kryo.
 */
public class Request {
    public String requestId;
    public String user;
    public String item;
    public int k;
    public String channel;

    /** The walk's "now": edge weights decay relative to it, later edges are invisible. */
    public long ts;

    public String[] exclude;
    public String[] candidates;

    /**
     * Debugging: return what every step holds about this node (a user, item, or
     * category:/brand:/tag: context).
     */
    public String inspect;

    /**
     * Optional: the experiment variant of the channel's strategy to answer with, instead of the one
     * the asker is assigned to (to compare variants side by side, as the console does). A name the
     * strategy does not have is ignored: the answer's {@code variant} says which one served.
     */
    public String variant;

    /** Optional override of the configured number of walkers. */
    public int walkers;

    /** Optional override of the configured deadline, in milliseconds. */
    public long timeoutMs;

    /** Wall-clock time the request entered the job (set by the job, not by clients). */
    @JsonIgnore public long ingestedAtMs;

    /**
     * Wall-clock time this run of the job read the request (set by the job): what it waited since
     * is time in the job's own buffers. Unlike {@link #ingestedAtMs} (the Kafka record time) it is
     * set anew when a restored job re-reads the request.
     */
    @JsonIgnore public long readAtMs;

    /** The channel's strategy, resolved by the job (not set by clients). */
    @JsonIgnore public Plan plan;

    /** The plan for a user without history (the strategy's fallback), or null. */
    @JsonIgnore public Plan fallbackPlan;

    public Request() {}

    public static Request forUser(String requestId, String user, int k, long ts) {
        Request r = new Request();
        r.requestId = requestId;
        r.user = user;
        r.k = k;
        r.ts = ts;
        return r;
    }

    public static Request forItem(String requestId, String item, int k, long ts) {
        Request r = new Request();
        r.requestId = requestId;
        r.item = item;
        r.k = k;
        r.ts = ts;
        return r;
    }

    @JsonIgnore
    public boolean isItemToItem() {
        return item != null;
    }

    public boolean hasCandidates() {
        return candidates != null && candidates.length > 0;
    }

    /**
     * The node the request is keyed by in the Seed step: the user, or for anonymous item-to-item
     * the item.
     */
    public String seedKey() {
        // Validation guarantees one of them; the request id keeps a key selector from ever failing.
        return inspect != null
                ? inspect
                : user != null ? user : item != null ? item : String.valueOf(requestId);
    }

    /**
     * The node key this request is keyed by at the Seed step: the hash of {@link #seedKey()}, or,
     * for {@code "inspect":"#<16 hex digits>"}, that key itself (inspect answers name neighbours by
     * their key, so a neighbour can be inspected in turn).
     */
    public long seedNode() {
        if (inspect != null && inspect.length() == 17 && inspect.charAt(0) == '#') {
            try {
                return Long.parseUnsignedLong(inspect.substring(1), 16);
            } catch (NumberFormatException e) {
                // not a key: an id that happens to start with '#'
            }
        }
        return NodeIds.hash(seedKey());
    }

    public long getTs() {
        return ts;
    }

    @Override
    public String toString() {
        return "Request{"
                + requestId
                + (user != null ? " user=" + user : "")
                + (item != null ? " item=" + item : "")
                + " k="
                + k
                + " ts="
                + ts
                + "}";
    }
}
