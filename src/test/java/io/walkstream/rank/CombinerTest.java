package io.walkstream.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CombinerTest {
    record It(long id, String cat) {}

    static final Combiner.Keys<It> KEYS =
            new Combiner.Keys<>() {
                @Override
                public long item(It t) {
                    return t.id();
                }

                @Override
                public String category(It t) {
                    return t.cat();
                }
            };

    static List<It> list(int from, int n, String cat) {
        return IntStream.range(from, from + n).mapToObj(i -> new It(i, cat)).toList();
    }

    static List<String> sources(List<Combiner.Placed<It>> placed) {
        return placed.stream().map(Combiner.Placed::source).toList();
    }

    @Test
    void interleavesByWeightDeterministicallyWithoutRandomness() {
        var a = new Combiner.Source<>("a", 2, list(0, 20, null));
        var b = new Combiner.Source<>("b", 1, list(100, 20, null));
        var placed = Combiner.combine(List.of(a, b), KEYS, 9, 0, 0, 1);
        assertThat(sources(placed)).containsExactly("a", "b", "a", "a", "b", "a", "a", "b", "a");
        assertThat(placed).extracting(p -> p.item().id()).startsWith(0L, 100L, 1L, 2L, 101L);
    }

    @Test
    void dedupesCapsCategoriesAndMovesOnWhenASourceRunsDry() {
        var a =
                new Combiner.Source<>(
                        "a",
                        1,
                        List.of(new It(1, "x"), new It(2, "x"), new It(3, "x"), new It(4, "y")));
        var b = new Combiner.Source<>("b", 1, List.of(new It(1, "x"), new It(5, null)));
        var placed = Combiner.combine(List.of(a, b), KEYS, 10, 0, 2, 1);
        assertThat(placed)
                .extracting(p -> p.item().id())
                .containsExactly(1L, 5L, 2L, 4L); // 1 once; x capped at 2; 3 dropped
        assertThat(sources(placed)).containsExactly("a", "b", "a", "a");
    }

    @Test
    void randomnessIsSeededAndFollowsTheWeightsOnAverage() {
        var a = new Combiner.Source<>("a", 3, list(0, 10_000, null));
        var b = new Combiner.Source<>("b", 1, list(100_000, 10_000, null));
        var first = Combiner.combine(List.of(a, b), KEYS, 4000, 1.0, 0, 42);
        var again = Combiner.combine(List.of(a, b), KEYS, 4000, 1.0, 0, 42);
        var other = Combiner.combine(List.of(a, b), KEYS, 4000, 1.0, 0, 43);
        assertThat(sources(again)).isEqualTo(sources(first));
        assertThat(sources(other)).isNotEqualTo(sources(first));
        long fromA = sources(first).stream().filter("a"::equals).count();
        assertThat(fromA / 4000.0).isBetween(0.72, 0.78);
        assertThat(new ArrayList<>(sources(first)).subList(0, 12))
                .isNotEqualTo(
                        List.of(
                                "a", "a", "b", "a", "a", "a", "b", "a", "a", "a", "b",
                                "a")); // not the fixed order
    }
}
