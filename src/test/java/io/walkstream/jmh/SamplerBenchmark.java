package io.walkstream.jmh;

import io.walkstream.config.GraphConfig;
import io.walkstream.graph.EdgeWeights;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.graph.NeighbourSampler;
import io.walkstream.model.Action;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One walk step on one node: {@code walkers} walkers placed on a node's {@code degree} edges by
 * time-decayed, action-weighted sampling (what Item and Context do per arriving walker group).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SamplerBenchmark {
    @Param({"16", "512"})
    public int degree;

    @Param({"1", "100", "1000"})
    public int walkers;

    private Edges edges;
    private EdgeWeights weights;
    private NeighbourSampler sampler;
    private long seed;

    @Setup
    public void setUp() {
        edges = new Edges();
        SplittableRandom r = new SplittableRandom(7);
        Action[] actions = {Action.VIEW, Action.CLICK, Action.CART, Action.PURCHASE};
        for (int i = 0; i < degree; i++) {
            edges.add(
                    r.nextLong(),
                    actions[r.nextInt(actions.length)].code(),
                    1_000_000L - r.nextInt(100_000),
                    1f);
        }
        weights = new EdgeWeights(new GraphConfig()).at(1_000_000L);
        sampler = new NeighbourSampler();
    }

    @Benchmark
    public KeyedSums sample() {
        return sampler.sample(edges, walkers, weights, new SplittableRandom(seed++));
    }
}
