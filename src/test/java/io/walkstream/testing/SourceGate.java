package io.walkstream.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;

/**
 * Test-only rate limiter: each reader of a source lets through its share of {@code limit} records,
 * then waits for good. A reader at the gate waits on a future, not in a blocking call, so its task
 * keeps taking checkpoints and savepoints — and the source cannot reach its end while the job runs.
 * Used to stop a job with a savepoint at a known point of its input instead of after a pause (the
 * run restored from it gets a new gate, or none). Shares are per reader, so no reader can run ahead
 * and exhaust its split while another lags. Counts are kept per instance in the JVM (MiniCluster),
 * like {@link FailOnce}; for one run without failover (a restarted reader would get a fresh share).
 */
public final class SourceGate implements RateLimiterStrategy<SourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<Reader>> READERS = new ConcurrentHashMap<>();

    private final String token = UUID.randomUUID().toString();
    private final long limit;

    public SourceGate(long limit) {
        this.limit = limit;
        READERS.put(token, new CopyOnWriteArrayList<>());
    }

    /**
     * Waits until {@code readers} readers have started and each has used its share of permits: the
     * source stands at the gate and emits nothing more. (Each permit lets a reader poll once, so a
     * reader has emitted at most its share.)
     */
    public void awaitReached(int readers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Reader> started = READERS.get(token);
        while (started.size() < readers || !started.stream().allMatch(Reader::reached)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the source did not reach its gate of "
                                + limit
                                + " within "
                                + timeout
                                + ": "
                                + started.size()
                                + " of "
                                + readers
                                + " readers started, permits used "
                                + started);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public RateLimiter<SourceSplit> createRateLimiter(int parallelism) {
        Reader r = new Reader((limit + parallelism - 1) / parallelism);
        READERS.get(token).add(r);
        return r::acquire;
    }

    /** One reader's share. */
    private static final class Reader {
        private final long share;
        private long passed;

        Reader(long share) {
            this.share = share;
        }

        /**
         * Done at once while the share lasts; after that a future that never completes (the job is
         * stopped).
         */
        synchronized CompletionStage<Void> acquire(int permits) {
            if (passed + permits > share) {
                return new CompletableFuture<>();
            }
            passed += permits;
            return CompletableFuture.completedFuture(null);
        }

        synchronized boolean reached() {
            return passed >= share;
        }

        @Override
        public synchronized String toString() {
            return passed + "/" + share;
        }
    }
}
