package io.walkstream.rank;

import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.RequestContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the inputs of one request say: per item reached, the walker mass (from which seed, through
 * which context), trend and neighbour arrivals and the item's facts; the seeds' ids; the user
 * vector built from the seed probes; the supplied embedding models involved.
 */
final class Evidence {
    final Map<Long, Candidate> items = new HashMap<>();
    final Map<Long, String> seedIds = new HashMap<>();
    final UserVector user = new UserVector();
    final TreeSet<String> models = new TreeSet<>();

    static Evidence of(RequestContext ctx, Iterable<RankInput> inputs) {
        Evidence e = new Evidence();
        List<RankInput> seeds = new ArrayList<>();
        for (RankInput in : inputs) {
            if (in.kind == RankInput.SEED_INFO) {
                if (in.itemId != null && in.weight > 0) {
                    e.seedIds.put(in.item, in.itemId);
                }
                seeds.add(in);
            } else {
                e.add(in, ctx.followees);
            }
        }
        // Summed in key order: floating-point sums then do not depend on message arrival order.
        seeds.sort(Comparator.comparingLong(in -> in.item));
        for (RankInput in : seeds) {
            e.user.add(in.vector, in.supplied, in.weight);
            if (in.supplied && in.vector != null && in.model != null && in.weight != 0) {
                e.models.add(in.model);
            }
        }
        return e;
    }

    private void add(RankInput in, long[] followees) {
        switch (in.kind) {
            case RankInput.ARRIVAL ->
                    candidate(in).arrive(in.origin, in.via, in.massUnits(), followees);
            case RankInput.ARRIVALS -> {
                Candidate c = candidate(in);
                for (int i = 0; i < in.arrivalOrigins.length; i++) {
                    c.arrive(in.arrivalOrigins[i], in.arrivalVias[i], in.arrivalMass[i], followees);
                }
            }
            case RankInput.TREND_ARRIVAL -> {
                Candidate c = candidate(in);
                c.trend = Math.max(c.trend, in.weight);
            }
            case RankInput.NEIGHBOUR_ARRIVAL -> candidate(in).neighbour = true;
            case RankInput.CANDIDATE_INFO -> candidate(in);
            default -> {}
        }
    }

    /** The item's candidate, with the facts this input carries. */
    private Candidate candidate(RankInput in) {
        Candidate c = items.computeIfAbsent(in.item, Candidate::new);
        c.facts(in);
        return c;
    }

    /** The request's listed candidates (candidate scoring), once each, in the order listed. */
    List<Candidate> listed(String[] candidates) {
        List<Candidate> listed = new ArrayList<>();
        for (String id : candidates) {
            Candidate c = items.computeIfAbsent(NodeIds.hash(id), Candidate::new);
            c.id = id;
            if (!listed.contains(c)) {
                listed.add(c);
            }
        }
        return listed;
    }
}
