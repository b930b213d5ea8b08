package io.walkstream.bench;

import io.walkstream.model.Request;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Freshness probes' requests: for each probe interaction {@link ShopEvents} emitted at time t, asks
 * for the probe user's recommendations at t + each of {@link #OFFSETS_MS}. The first answer that
 * walked from the probe's item bounds the interaction's time to visibility from above, the last one
 * that did not bounds it from below. Only reader 0 asks; the method waits (the request source of
 * the freshness run carries nothing else).
 */
public final class ProbeRequests implements GeneratorFunction<Long, Request> {
    public static final String PREFIX = "probe-";
    static final long[] OFFSETS_MS = {0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 65, 80, 100, 130, 160, 200, 300, 500, 1000};

    private transient int subtask;
    private transient int probe;
    private transient int offset;

    public static String user(int probe) {
        return "probe-u:" + probe;
    }

    static int probeOf(String requestId) {
        return Integer.parseInt(requestId.substring(PREFIX.length(), requestId.indexOf('-', PREFIX.length())));
    }

    @Override
    public void open(SourceReaderContext ctx) {
        subtask = ctx.getIndexOfSubtask();
    }

    @Override
    public Request map(Long index) throws Exception {
        while (true) {
            Long emitted = subtask == 0 ? BenchLocal.probeEmittedAt.get(probe) : null;
            if (emitted != null) {
                long due = emitted + OFFSETS_MS[offset];
                long now = System.currentTimeMillis();
                if (now >= due) {
                    Request r = Request.forUser(PREFIX + probe + "-" + offset, user(probe), 10, now);
                    if (++offset == OFFSETS_MS.length) {
                        offset = 0;
                        probe++;
                    }
                    return r;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // sub-millisecond: the first offsets are 1 ms apart
            } else {
                Thread.sleep(1);
            }
        }
    }
}
