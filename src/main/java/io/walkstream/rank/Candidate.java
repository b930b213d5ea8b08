package io.walkstream.rank;

import io.walkstream.graph.KeyedSums;
import io.walkstream.model.RankInput;
import java.util.Arrays;

/** What the walk, the trending lists and the probes learnt about one item. */
final class Candidate {
    final long key;
    String id;

    /** Expected walks that ended on the item, rounded (explanations). */
    int visits;

    /**
     * Expected walker mass that arrived, in fixed point ({@link RankInput#MASS_UNIT} per walker).
     */
    long mass;

    long followMass;

    /**
     * The part of {@link #mass} that came along transition edges (what users did next after a
     * seed).
     */
    long nextMass;

    final KeyedSums nextOrigins = new KeyedSums(2);
    double trend;
    boolean neighbour;
    double neighbourScore;
    long degree;
    byte[] vector;
    boolean supplied;
    String model;
    String category;
    String brand;
    long firstSeen = Long.MAX_VALUE;
    final KeyedSums origins = new KeyedSums(4);
    final KeyedSums vias = new KeyedSums(4);
    double similarity;
    double walkScore;
    double followScore;
    double trendScore;
    double nextScore;

    Candidate(long key) {
        this.key = key;
    }

    void facts(RankInput in) {
        if (in.itemId != null) {
            id = in.itemId;
        }
        degree = Math.max(degree, in.degree);
        if (in.vector != null) {
            vector = in.vector;
            supplied = in.supplied;
            model = in.model;
        }
        if (in.category != null) {
            category = in.category;
        }
        if (in.brand != null) {
            brand = in.brand;
        }
        firstSeen = Math.min(firstSeen, in.firstSeen);
    }

    /**
     * Walkers from seed {@code origin} through context {@code via}, with {@code mass} in fixed
     * point; {@code via == origin}: along a transition edge, no context in between.
     */
    void arrive(long origin, long via, long mass, long[] followees) {
        this.mass += mass;
        if (followees != null && Arrays.binarySearch(followees, origin) >= 0) {
            followMass += mass;
        }
        origins.add(origin, mass); // integer-valued doubles below 2^53: exact, order-free sums
        if (via == origin) {
            nextMass += mass;
            nextOrigins.add(origin, mass);
        } else {
            vias.add(via, 1);
        }
    }
}
