package io.walkstream.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetReadersTest {
    private static DatasetReplay read(String text, DatasetFormat f, RatingPolicy p)
            throws Exception {
        return DatasetReplay.read(new BufferedReader(new StringReader(text)), f, p);
    }

    @Test
    void movieLens100kIsSortedByTimeAndMalformedLinesAreReportedAndSkipped() throws Exception {
        String text =
                "1\t10\t5\t300\n"
                        + "2\t20\t1\t100\n"
                        + "garbage line\n"
                        + "3\t30\t9\t200\n" // rating out of range
                        + "4\tx\t4\t200\n" // item not a number
                        + "\n"
                        + "5\t50\t3\t200\n";
        DatasetReplay r =
                read(text, DatasetFormat.MOVIELENS, RatingPolicy.EVERY_RATING_IS_INTERACTION);
        assertThat(r.events()).extracting(e -> e.user).containsExactly("u:2", "u:5", "u:1");
        assertThat(r.events()).extracting(e -> e.ts).containsExactly(100_000L, 200_000L, 300_000L);
        assertThat(r.events())
                .allSatisfy(
                        e -> {
                            assertThat(e.actionType()).isEqualTo(Action.RATE);
                            assertThat(e.weight).isEqualTo(1f);
                        });
        assertThat(r.skipped()).isEqualTo(3);
        assertThat(r.problems()).hasSize(3);
        assertThat(r.problems().get(0)).startsWith("line 3:").contains("garbage line");
        assertThat(r.problems().get(1)).startsWith("line 4:").contains("outside 1..5");
        assertThat(r.problems().get(2)).startsWith("line 5:");
    }

    @Test
    void theDemoReadingStillTurnsLowRatingsIntoDislikes() throws Exception {
        DatasetReplay r =
                read(
                        "1\t10\t2\t100\n1\t11\t4\t200\n",
                        DatasetFormat.MOVIELENS,
                        RatingPolicy.LOW_IS_DISLIKE);
        List<Event> e = r.events();
        assertThat(e.get(0).actionType()).isEqualTo(Action.DISLIKE);
        assertThat(e.get(1).actionType()).isEqualTo(Action.RATE);
        assertThat(e.get(1).weight).isEqualTo(4f);
    }

    @Test
    void movieLens1mUsesDoubleColonsAndReportsShortLines() throws Exception {
        String text =
                "1::1193::5::978300760\n1::661::3::978302109\n1::914\n2::1357::5::978298709\n";
        DatasetReplay r =
                read(text, DatasetFormat.MOVIELENS1M, RatingPolicy.EVERY_RATING_IS_INTERACTION);
        assertThat(r.events())
                .extracting(e -> e.user + " " + e.item)
                .containsExactly("u:2 i:1357", "u:1 i:1193", "u:1 i:661");
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.problems().get(0)).startsWith("line 3:").contains("2 fields");
    }

    @Test
    void tiesInTimeBreakByAHashNotByInputOrder() throws Exception {
        String a = "1\t10\t5\t100\n2\t20\t5\t100\n3\t30\t5\t100\n";
        String b = "3\t30\t5\t100\n1\t10\t5\t100\n2\t20\t5\t100\n";
        List<String> orderA =
                read(a, DatasetFormat.MOVIELENS, RatingPolicy.EVERY_RATING_IS_INTERACTION)
                        .events()
                        .stream()
                        .map(e -> e.item)
                        .toList();
        List<String> orderB =
                read(b, DatasetFormat.MOVIELENS, RatingPolicy.EVERY_RATING_IS_INTERACTION)
                        .events()
                        .stream()
                        .map(e -> e.item)
                        .toList();
        assertThat(orderA).isEqualTo(orderB);
    }

    @Test
    void csvAndTaobaoReportBadActions() throws Exception {
        DatasetReplay csv =
                read(
                        "user,item,action,ts\nu1,i1,view,5\nu1,i2,teleport,6\n",
                        DatasetFormat.CSV,
                        RatingPolicy.LOW_IS_DISLIKE);
        assertThat(csv.events()).hasSize(1);
        assertThat(csv.skipped()).isEqualTo(1);
        DatasetReplay tb =
                read(
                        "1,2,3,pv,100\n1,2,3,teleport,101\n",
                        DatasetFormat.TAOBAO,
                        RatingPolicy.LOW_IS_DISLIKE);
        assertThat(tb.events()).hasSize(2); // item metadata + the view
        assertThat(tb.skipped()).isEqualTo(1);
    }
}
