package io.walkstream.walk;

import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.HopBatch;
import io.walkstream.model.RankInput;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The side outputs that carry messages past the next step: the dataflow's skip edges. */
public final class Routes {
    private Routes() {}

    /** Graph updates for the Item step (the router's main output goes to Seed). */
    public static final OutputTag<GraphUpdate> TO_ITEM =
            new OutputTag<>("updates-item", TypeInformation.of(GraphUpdate.class));

    public static final OutputTag<GraphUpdate> TO_CONTEXT =
            new OutputTag<>("updates-context", TypeInformation.of(GraphUpdate.class));
    public static final OutputTag<GraphUpdate> TO_SCORE =
            new OutputTag<>("updates-score", TypeInformation.of(GraphUpdate.class));

    /**
     * Transition edges (item → next item), from Seed, which holds the behaviour sequences, to Item.
     */
    public static final OutputTag<GraphUpdate> TRANSITIONS =
            new OutputTag<>("updates-transitions", TypeInformation.of(GraphUpdate.class));

    /** Walkers that skip a step: Seed sends walkers for followed users straight to Context. */
    public static final OutputTag<Hop> HOPS_TO_CONTEXT =
            new OutputTag<>("hops-context", TypeInformation.of(Hop.class));

    /**
     * Seed's probes to Score (seed vectors, candidate facts); Item's walkers that followed
     * transition edges.
     */
    public static final OutputTag<Hop> HOPS_TO_SCORE =
            new OutputTag<>("hops-score", TypeInformation.of(Hop.class));

    /**
     * The same two outputs when walkers travel in batches ({@code walk.batching}): same ids,
     * batched records.
     */
    public static final OutputTag<HopBatch> BATCHES_TO_CONTEXT =
            new OutputTag<>(HOPS_TO_CONTEXT.getId(), TypeInformation.of(HopBatch.class));

    public static final OutputTag<HopBatch> BATCHES_TO_SCORE =
            new OutputTag<>(HOPS_TO_SCORE.getId(), TypeInformation.of(HopBatch.class));

    /** Request contexts and absorbed walkers, from any step to Rank. */
    public static final OutputTag<RankInput> TO_RANK =
            new OutputTag<>("to-rank", TypeInformation.of(RankInput.class));
}
