package io.walkstream.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.WalkConfig;
import io.walkstream.model.Request;
import org.junit.jupiter.api.Test;

/** The Seed step's admission rules, on a clock the test drives. */
class AdmissionTest {
    static Request request(long readAt) {
        Request r = Request.forUser("r", "u:1", 10, 0);
        r.ingestedAtMs =
                readAt - 60_000; // a minute in Kafka before the job read it: not the job's queue
        r.readAtMs = readAt;
        return r;
    }

    @Test
    void theRateLimitAdmitsABurstOfOneSecondThenRefillsWithTime() {
        WalkConfig walk = new WalkConfig();
        walk.maxRequestsPerSecond = 20; // two Seed subtasks: 10/s each, a bucket of 10
        Admission a = new Admission(walk, 2);
        for (int i = 0; i < 10; i++) {
            assertThat(a.check(request(0), 1_000)).as("request %d", i).isNull();
        }
        assertThat(a.check(request(0), 1_000))
                .contains("over the admitted rate")
                .contains("10.0 requests/s");
        assertThat(a.check(request(0), 1_099)).as("0.99 tokens after 99 ms").isNotNull();
        assertThat(a.check(request(0), 1_100)).as("one token after 100 ms").isNull();
        assertThat(a.check(request(0), 1_100)).isNotNull();
        assertThat(a.check(request(0), 60_000))
                .as("a long pause refills at most one second's worth")
                .isNull();
        for (int i = 0; i < 9; i++) {
            assertThat(a.check(request(0), 60_000)).isNull();
        }
        assertThat(a.check(request(0), 60_000)).isNotNull();
    }

    @Test
    void withoutALimitEveryFreshRequestIsAdmitted() {
        Admission a = new Admission(new WalkConfig(), 2);
        for (int i = 0; i < 10_000; i++) {
            assertThat(a.check(request(5_000), 5_000)).isNull();
        }
    }

    @Test
    void aRequestThatQueuedPastItsDeadlineIsShed() {
        WalkConfig walk = new WalkConfig(); // timeoutMs 2,000
        Admission a = new Admission(walk, 1);
        assertThat(a.check(request(10_000), 12_000)).as("exactly at its deadline").isNull();
        assertThat(a.check(request(10_000), 12_001))
                .isEqualTo("queued 2001 ms in the job before the walk could start (limit 2000 ms)");
        Request own = request(10_000);
        own.timeoutMs = 5_000;
        assertThat(a.check(own, 14_000)).as("the request's own timeout").isNull();
        assertThat(a.check(request(0), 99_999_999))
                .as("no read time: nothing to judge by")
                .isNull();

        walk.maxQueueMs = 300;
        assertThat(new Admission(walk, 1).check(request(10_000), 10_301)).contains("limit 300 ms");
    }
}
