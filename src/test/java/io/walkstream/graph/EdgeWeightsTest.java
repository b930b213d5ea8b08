package io.walkstream.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.walkstream.config.GraphConfig;
import io.walkstream.model.Action;
import org.junit.jupiter.api.Test;

/** An edge's weight at a request's time: action × event weight × decay, with the decay's floor. */
class EdgeWeightsTest {
    static final long DAY = 24 * 3600 * 1000L;

    @Test
    void decayHalvesPerHalfLifeAndFutureEdgesAreInvisible() {
        GraphConfig g = new GraphConfig();
        g.halfLifeMs = 10 * DAY;
        g.decayFloor = 0;
        EdgeWeights w = new EdgeWeights(g).at(100 * DAY);
        byte view = Action.VIEW.code();
        assertThat(w.of(view, 100 * DAY, 1f)).isCloseTo(1.0, within(1e-12));
        assertThat(w.of(view, 90 * DAY, 1f)).isCloseTo(0.5, within(1e-12));
        assertThat(w.of(Action.PURCHASE.code(), 80 * DAY, 2f))
                .isCloseTo(8 * 2 * 0.25, within(1e-12));
        assertThat(w.of(view, 100 * DAY + 1, 1f)).isZero();
    }

    @Test
    void theFloorKeepsAShareOfEveryEdgeHoweverOld() {
        GraphConfig g = new GraphConfig();
        g.halfLifeMs = 10 * DAY;
        g.decayFloor = 0.1;
        EdgeWeights w = new EdgeWeights(g).at(10_000 * DAY);
        byte view = Action.VIEW.code();
        assertThat(w.of(view, 10_000 * DAY, 1f)).isCloseTo(1.0, within(1e-12));
        assertThat(w.of(view, 9_990 * DAY, 1f)).isCloseTo(0.1 + 0.9 * 0.5, within(1e-12));
        assertThat(w.of(view, 0, 1f)).as("27 years old").isCloseTo(0.1, within(1e-12));
        assertThat(w.of(view, 10_000 * DAY + 1, 1f))
                .as("the floor never makes a future edge visible")
                .isZero();
    }
}
