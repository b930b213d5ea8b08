package io.walkstream.rank;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RequestContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Rank's completion rules, driven with controlled processing time. */
class RankStepTest {
    static final long REQ = NodeIds.hash("r-1");

    static KeyedOneInputStreamOperatorTestHarness<Long, RankInput, Recommendation> harness()
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.timeoutMs = 100;
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new RankStep(cfg)),
                        (RankInput in) -> in.request,
                        Types.LONG);
        h.open();
        return h;
    }

    static RankInput context(int walkers, long timeoutMs) {
        RequestContext rc = new RequestContext();
        rc.requestId = "r-1";
        rc.user = "u";
        rc.k = 5;
        rc.walkers = walkers;
        rc.exclude = new long[0];
        rc.timeoutMs = timeoutMs;
        rc.ingestedAtMs = 1000;
        return RankInput.context(REQ, rc);
    }

    static RankInput arrival(String item, int walkers) {
        RankInput in = new RankInput();
        in.kind = RankInput.ARRIVAL;
        in.request = REQ;
        in.item = NodeIds.hash(item);
        in.itemId = item;
        in.walkers = walkers;
        in.degree = 1;
        return in;
    }

    @Test
    void answersAsSoonAsEveryWalkerIsAccountedFor() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1000);
            h.processElement(arrival("a", 6), 0); // walkers may overtake their context
            h.processElement(context(10, 100), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(1007);
            h.processElement(RankInput.absorbed(REQ, 4), 0);
            assertThat(h.extractOutputValues()).hasSize(1);
            Recommendation r = h.extractOutputValues().get(0);
            assertThat(r.partial).isTrue(); // 4 walkers hit a dead end
            assertThat(r.timedOut).isFalse();
            assertThat(r.arrived).isEqualTo(6);
            assertThat(r.latencyMs).isEqualTo(7);
        }
    }

    @Test
    void theDeadlineAnswersWithWhatHasArrivedFlaggedPartial() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1000);
            h.processElement(context(10, 50), 0);
            h.processElement(arrival("a", 3), 0);
            h.setProcessingTime(1049);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(1050);
            assertThat(h.extractOutputValues()).hasSize(1);
            Recommendation r = h.extractOutputValues().get(0);
            assertThat(r.timedOut).isTrue();
            assertThat(r.partial).isTrue();
            assertThat(r.items).extracting(i -> i.item).containsExactly("a");

            // Stragglers after the answer are counted and ignored: one answer per request.
            h.processElement(arrival("b", 7), 0);
            h.setProcessingTime(5000);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void theEndOfABoundedInputAnswersEverythingStillOpen() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1000);
            h.processElement(context(10, 60_000), 0);
            h.processElement(arrival("a", 2), 0);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.extractOutputValues().get(0).partial).isTrue();
        }
    }

    @Test
    void walkersWhoseContextIsLateWaitForIt() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1000);
            h.processElement(arrival("a", 10), 0);
            h.setProcessingTime(
                    1200); // past the default deadline, but there is no request to answer yet
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement(context(10, 100), 0);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.extractOutputValues().get(0).partial).isFalse();
        }
    }

    @Test
    void aRequestIdUsedAgainAfterItsAnswerIsAnsweredAgain() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1000);
            h.processElement(context(5, 100), 0);
            h.processElement(arrival("a", 5), 0);
            h.processElement(arrival("a", 1), 0); // a straggler: ignored
            h.processElement(context(5, 100), 0);
            h.processElement(arrival("b", 5), 0);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.extractOutputValues().get(1).items)
                    .extracting(i -> i.item)
                    .containsExactly("b");
        }
    }
}
