package io.walkstream.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    static final long SECOND = 1_000_000_000L;
    final AtomicLong now = new AtomicLong(5 * SECOND);

    RateLimiter limiter(double perSecond, int burst, int maxClients) {
        return new RateLimiter(
                new GatewaySecurity.RateLimit(perSecond, burst, maxClients), now::get);
    }

    @Test
    void aBurstIsAdmittedThenCallsWaitForTheRefill() {
        RateLimiter r = limiter(2, 3, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(r.acquire("a").admitted()).isTrue();
        }
        RateLimiter.Decision refused = r.acquire("a");
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterNanos()).isEqualTo(SECOND / 2); // one token at 2/s
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);

        now.addAndGet(SECOND / 2);
        assertThat(r.acquire("a").admitted()).isTrue();
        assertThat(r.acquire("a").admitted()).isFalse();
        now.addAndGet(10 * SECOND); // refills to the burst, not beyond
        for (int i = 0; i < 3; i++) {
            assertThat(r.acquire("a").admitted()).isTrue();
        }
        assertThat(r.acquire("a").admitted()).isFalse();
    }

    @Test
    void clientsHaveTheirOwnBuckets() {
        RateLimiter r = limiter(1, 1, 100);
        assertThat(r.acquire("greedy").admitted()).isTrue();
        assertThat(r.acquire("greedy").admitted()).isFalse();
        assertThat(r.acquire("polite").admitted()).isTrue();
    }

    @Test
    void slowRatesTellTheWholeWait() {
        RateLimiter r = limiter(0.25, 1, 100); // one call per 4 s
        r.acquire("a");
        now.addAndGet(SECOND);
        RateLimiter.Decision d = r.acquire("a");
        assertThat(d.admitted()).isFalse();
        assertThat(d.retryAfterSeconds()).isEqualTo(3);
        now.addAndGet(SECOND + SECOND / 2);
        assertThat(r.acquire("a").retryAfterSeconds()).isEqualTo(2); // 1.5 s rounds up
    }

    @Test
    void idleClientsAreDroppedOnceTheirBucketIsFullAgain() {
        RateLimiter r = limiter(10, 10, 100); // full again 1 s after the last call
        for (int i = 0; i < 50; i++) {
            r.acquire("c" + i);
        }
        assertThat(r.clients()).isEqualTo(50);
        now.addAndGet(SECOND / 2);
        r.acquire("c0");
        assertThat(r.clients()).isEqualTo(50);
        now.addAndGet(SECOND / 2 + 1);
        r.acquire("new");
        assertThat(r.clients()).isEqualTo(2); // c0 (seen half a second ago) and new
    }

    @Test
    void theMapNeverHoldsMoreThanMaxClients() {
        RateLimiter r = limiter(1, 1, 100);
        for (int i = 0; i < 10_000; i++) {
            r.acquire("addr-" + i);
        }
        assertThat(r.clients()).isEqualTo(100);
        // The most recent clients keep their (empty) buckets; the oldest were dropped.
        assertThat(r.acquire("addr-9999").admitted()).isFalse();
        assertThat(r.acquire("addr-0").admitted()).isTrue();
    }
}
