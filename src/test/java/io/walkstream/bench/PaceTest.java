package io.walkstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionStage;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.junit.jupiter.api.Test;

/** The pace's schedule on a hand-driven clock: 100 records/s, one every 10 ms. */
class PaceTest {
    private static final long MS = 1_000_000;
    private final long[] now = {10_000 * MS};
    private final RateLimiter<NumberSequenceSplit> limiter =
            Pace.preloadThen(0, 100, () -> now[0]).createRateLimiter(1);

    /**
     * Records granted at once, without waiting; the last call's permit (not yet due) is the
     * source's next record, sent when it falls due.
     */
    private int grantedNow() {
        int n = 0;
        while (n < 1000) {
            CompletionStage<Void> permit = limiter.acquire(1);
            if (!permit.toCompletableFuture().isDone()) {
                return n;
            }
            n++;
        }
        return n;
    }

    @Test
    void aLateSourceSendsWhatItsScheduleHeldAtOnce() {
        assertThat(grantedNow()).isZero(); // the first record is due 10 ms after the start
        now[0] += 60 * MS;
        // Due at +20, +30, +40, +50 and +60 ms: all five go now (the one due at +70 ms waits).
        assertThat(grantedNow()).isEqualTo(5);
        now[0] += 20 * MS;
        assertThat(grantedNow()).isEqualTo(1); // +80; +90 waits
    }

    @Test
    void aStallLongerThanTheLagLimitIsNotSentAsABurst() {
        assertThat(grantedNow()).isZero();
        now[0] += Pace.MAX_LAG_NANOS + 100 * MS;
        assertThat(grantedNow()).isZero(); // the schedule restarts: due 10 ms from now
        now[0] += 20 * MS;
        assertThat(grantedNow()).isEqualTo(1);
    }
}
