package io.walkstream.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.walkstream.graph.Edges;
import io.walkstream.model.Action;
import org.junit.jupiter.api.Test;

/**
 * {@code walk.seedHalfLife}: a seed's weight halves for every that many more recent interactions.
 */
class SeedRecencyTest {
    private static final byte RATE = Action.RATE.code();

    @Test
    void weightsHalveEveryHalfLifeInteractionsCountedFromTheMostRecent() {
        Edges e = new Edges();
        e.add(10, RATE, 300, 1f); // most recent
        e.add(11, RATE, 100, 1f); // oldest
        e.add(12, RATE, 200, 1f);
        e.add(13, RATE, 900, 1f); // after the request: invisible, not counted
        // 1 : 1/2 : 1/4, scaled so the three visible edges' factors sum to 3 (3 / 1.75 = 12/7)
        double[] f = SeedSet.recencyFactors(e, 500, 1);
        assertThat(f[0]).isCloseTo(12.0 / 7, within(1e-12));
        assertThat(f[2]).isCloseTo(6.0 / 7, within(1e-12));
        assertThat(f[1]).isCloseTo(3.0 / 7, within(1e-12));
        assertThat(f[3]).isZero();
        assertThat(f[0] + f[1] + f[2]).isCloseTo(3.0, within(1e-12));
        double[] g = SeedSet.recencyFactors(e, 500, 2);
        assertThat(g[2] / g[0]).isCloseTo(Math.pow(2, -0.5), within(1e-12));
        assertThat(g[1] / g[0]).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void equalTimestampsAreOrderedByItemKeyAndZeroTurnsItOff() {
        Edges e = new Edges();
        e.add(5, RATE, 100, 1f);
        e.add(7, RATE, 100, 1f);
        double[] f = SeedSet.recencyFactors(e, 100, 1);
        assertThat(f[1])
                .isCloseTo(
                        4.0 / 3,
                        within(1e-12)); // the larger key counts as the more recent of a tie
        assertThat(f[0]).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(SeedSet.recencyFactors(e, 100, 1)).containsExactly(f); // deterministic
        assertThat(SeedSet.recencyFactors(e, 100, 0)).isNull();
    }

    @Test
    void aUserIsStaleWhenTheLatestVisibleInteractionIsOlderThanTheLimit() {
        Edges e = new Edges();
        e.add(10, RATE, 1_000, 1f);
        e.add(11, RATE, 5_000, 1f); // after the request: not counted
        assertThat(SeedSet.isStale(e, 2_000, 1_000)).isFalse(); // exactly the limit
        assertThat(SeedSet.isStale(e, 2_001, 1_000)).isTrue();
        assertThat(SeedSet.isStale(e, 2_001, 0)).isFalse(); // 0: off
        assertThat(SeedSet.isStale(new Edges(), 9_999, 1_000)).isFalse(); // no history
    }
}
