package io.walkstream.walk.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.RankConfig;
import io.walkstream.io.JsonCodec;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.RequestContext;
import io.walkstream.rank.RankProgress;
import io.walkstream.rank.Ranker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

/** The pure parts of batched transport: routing by subtask, and Rank's partial sums. */
class BatchingPartsTest {
    @Test
    void routesAgreeWithFlinksKeyGroupAssignment() {
        for (int[] shape : new int[][] {{128, 2}, {128, 3}, {256, 7}, {32768, 12}}) {
            int maxP = shape[0], p = shape[1];
            SubtaskRoutes routes = new SubtaskRoutes(maxP, p);
            SplittableRandom rng = new SplittableRandom(shape[1]);
            for (int i = 0; i < 10_000; i++) {
                long node = rng.nextLong();
                assertThat(routes.subtaskOf(node))
                        .isEqualTo(
                                KeyGroupRangeAssignment.assignKeyToParallelOperator(node, maxP, p));
            }
            for (int s = 0; s < p; s++) {
                // Flink's keyBy sends a batch keyed by the route key to exactly that subtask.
                assertThat(
                                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                        routes.routeKey(s), maxP, p))
                        .isEqualTo(s);
            }
        }
    }

    @Test
    void partialSumsGiveTheSameAnswerAsSingleArrivals() {
        SplittableRandom rng = new SplittableRandom(5);
        List<RankInput> single = new ArrayList<>();
        RankInputMerger merger = new RankInputMerger();
        int tokens = 0;
        for (int i = 0; i < 400; i++) {
            RankInput in = new RankInput();
            in.kind = RankInput.ARRIVAL;
            in.request = 77;
            String item = "i" + rng.nextInt(60);
            in.item = NodeIds.hash(item);
            in.itemId = item;
            in.degree = 10 + item.hashCode() % 7;
            in.walkers = 1 + rng.nextInt(64);
            in.weight = (float) rng.nextDouble(0.01, 3);
            in.origin = NodeIds.hash("s" + rng.nextInt(8));
            in.via = NodeIds.hash("u" + rng.nextInt(50));
            tokens += in.walkers;
            single.add(in);
            merger.add(in);
        }
        single.add(RankInput.absorbed(77, 3));
        merger.add(RankInput.absorbed(77, 3));
        List<RankInput> merged = merger.drain();
        assertThat(merger.isEmpty()).isTrue();
        assertThat(merged).hasSize(1);
        RankInput batch = merged.get(0);
        assertThat(batch.kind).isEqualTo(RankInput.BATCH);
        // One part per item reached (60 at most) plus the absorbed walkers, and every token kept.
        assertThat(batch.parts.length).isLessThanOrEqualTo(61);
        long summed = 0;
        for (RankInput part : batch.parts) {
            if (part.kind != RankInput.ABSORBED) {
                summed += part.tokens();
            }
        }
        assertThat(summed).isEqualTo(tokens);

        RequestContext ctx = new RequestContext();
        ctx.requestId = "r";
        ctx.user = "u";
        ctx.k = 20;
        ctx.walkers = 1000;
        ctx.exclude = new long[0];
        Ranker ranker = new Ranker(new RankConfig());
        String one = JsonCodec.writeString(ranker.rank(ctx, single, new RankProgress(), false, 0));
        String batched =
                JsonCodec.writeString(ranker.rank(ctx, merged, new RankProgress(), false, 0));
        assertThat(batched).isEqualTo(one);
    }

    @Test
    void inputsOfDifferentRequestsStayApart() {
        RankInputMerger merger = new RankInputMerger();
        merger.add(RankInput.absorbed(1, 2));
        merger.add(RankInput.absorbed(2, 2));
        merger.add(RankInput.absorbed(1, 5));
        List<RankInput> out = merger.drain();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).request).isEqualTo(1);
        assertThat(out.get(0).parts).hasSize(2);
        assertThat(out.get(1).kind).isEqualTo(RankInput.ABSORBED); // alone: not wrapped
    }
}
