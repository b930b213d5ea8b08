package io.walkstream.gen;

import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A real log replayed in time order with its original timestamps. Requests ask for users seen
 * recently in the log, at the log's current time (so time decay is relative to the replay, not to
 * today).
 */
public final class ReplayWorkload implements Workload {
    private final List<Event> events;
    private final SplittableRandom rnd;
    private final String[] recentUsers = new String[512];
    private int next;
    private long recentCount;
    private long logNow;
    private long requestSeq;

    public ReplayWorkload(DatasetReplay replay, long seed) {
        this.events = replay.events();
        this.rnd = new SplittableRandom(seed);
    }

    @Override
    public List<Event> nextEvents(long now) {
        if (next >= events.size()) {
            return List.of();
        }
        Event e = events.get(next++);
        logNow = Math.max(logNow, e.ts);
        if (e.kind == Event.INTERACTION) {
            recentUsers[(int) (recentCount++ % recentUsers.length)] = e.user;
        }
        return List.of(e);
    }

    @Override
    public Request nextRequest(long now, int k) {
        if (recentCount == 0) {
            return null;
        }
        String user = recentUsers[rnd.nextInt((int) Math.min(recentCount, recentUsers.length))];
        return Request.forUser("replay-" + (++requestSeq), user, k, logNow);
    }

    @Override
    public boolean exhausted() {
        return next >= events.size();
    }
}
