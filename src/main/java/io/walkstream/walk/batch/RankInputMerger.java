package io.walkstream.walk.batch;

import io.walkstream.model.RankInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what one step sent Rank while handling one record into one record per request: walker
 * arrivals at the same item become one partial sum ({@link RankInput#ARRIVALS}: the item's facts
 * once, each arrival's seed, context and fixed-point mass), and the request's inputs travel
 * together as a {@link RankInput#BATCH}. Rank's answer is the same either way: it sums integers.
 */
final class RankInputMerger {
    private final List<RankInput> pending = new ArrayList<>();

    void add(RankInput in) {
        pending.add(in);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The merged records, in the order their requests first appeared; clears what was added. */
    List<RankInput> drain() {
        List<RankInput> out = new ArrayList<>(1);
        if (pending.isEmpty()) {
            return out;
        }
        Map<Long, List<RankInput>> byRequest = new LinkedHashMap<>();
        for (RankInput in : pending) {
            byRequest.computeIfAbsent(in.request, r -> new ArrayList<>()).add(in);
        }
        pending.clear();
        for (Map.Entry<Long, List<RankInput>> e : byRequest.entrySet()) {
            long request = e.getKey();
            List<RankInput> parts = mergeArrivals(e.getValue());
            if (parts.size() == 1) {
                out.add(parts.get(0));
            } else {
                RankInput batch = new RankInput();
                batch.kind = RankInput.BATCH;
                batch.request = request;
                batch.parts = parts.toArray(new RankInput[0]);
                out.add(batch);
            }
        }
        return out;
    }

    /**
     * One request's inputs with its {@link RankInput#ARRIVAL}s folded into one partial sum per
     * item.
     */
    private static List<RankInput> mergeArrivals(List<RankInput> inputs) {
        Map<Long, List<RankInput>> byItem = new HashMap<>();
        List<RankInput> merged = new ArrayList<>();
        for (RankInput in : inputs) {
            if (in.kind != RankInput.ARRIVAL) {
                merged.add(in);
                continue;
            }
            List<RankInput> same = byItem.get(in.item);
            if (same == null) {
                same = new ArrayList<>(2);
                byItem.put(in.item, same);
                merged.add(in); // its place in the output; replaced below when it has company
            }
            same.add(in);
        }
        for (int i = 0; i < merged.size(); i++) {
            RankInput in = merged.get(i);
            if (in.kind == RankInput.ARRIVAL) {
                List<RankInput> same = byItem.get(in.item);
                if (same.size() > 1) {
                    merged.set(i, partialSum(same));
                }
            }
        }
        return merged;
    }

    private static RankInput partialSum(List<RankInput> arrivals) {
        RankInput first = arrivals.get(0);
        RankInput sum = new RankInput();
        sum.kind = RankInput.ARRIVALS;
        sum.request = first.request;
        sum.item = first.item;
        sum.copyFacts(first);
        int n = arrivals.size();
        sum.arrivalOrigins = new long[n];
        sum.arrivalVias = new long[n];
        sum.arrivalMass = new long[n];
        long tokens = 0;
        for (int i = 0; i < n; i++) {
            RankInput a = arrivals.get(i);
            sum.arrivalOrigins[i] = a.origin;
            sum.arrivalVias[i] = a.via;
            sum.arrivalMass[i] = a.massUnits();
            tokens += a.tokens();
        }
        sum.walkers = Math.toIntExact(tokens);
        return sum;
    }
}
