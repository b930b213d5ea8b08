package io.walkstream.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReplayTest {
    @TempDir Path dir;

    @Test
    void readsGzippedMovieLensInTimeOrder() throws Exception {
        Path f = dir.resolve("u.data.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(
                    "196\t242\t3\t881250949\n186\t302\t1\t881250000\n22\t377\t5\t878887116\nbroken line\n"
                            .getBytes(StandardCharsets.UTF_8));
        }
        DatasetReplay r = DatasetReplay.read(f, DatasetFormat.MOVIELENS);
        assertThat(r.events())
                .extracting(e -> e.ts)
                .containsExactly(878887116000L, 881250000000L, 881250949000L);
        assertThat(r.events().get(1).actionType()).isEqualTo(Action.DISLIKE);
        assertThat(r.events().get(0).weight).isEqualTo(5f);
        assertThat(r.skipped()).isEqualTo(1);
    }

    @Test
    void readsTaobaoAnnouncingEachItemsCategoryOnce() throws Exception {
        Path f = dir.resolve("taobao.csv");
        Files.writeString(
                f,
                "1,2268318,2520377,pv,1511544070\n1,2268318,2520377,buy,1511544080\n2,333,44,cart,1511544090\n3,1,1,nope,1\n");
        DatasetReplay r = DatasetReplay.read(f, DatasetFormat.TAOBAO);
        assertThat(r.events())
                .extracting(Event::toString)
                .containsExactly(
                        "item i:2268318 category=c2520377 brand=null @1511544070000",
                        "u:1 view i:2268318 @1511544070000",
                        "u:1 purchase i:2268318 @1511544080000",
                        "item i:333 category=c44 brand=null @1511544090000",
                        "u:2 cart i:333 @1511544090000");
        assertThat(r.skipped()).isEqualTo(1);
    }

    @Test
    void readsGenericCsvWithHeader() throws Exception {
        Path f = dir.resolve("log.csv");
        Files.writeString(f, "user,item,action,ts_ms\nu:2,i:9,like,2000\nu:1,i:8,click,1000\n");
        DatasetReplay r = DatasetReplay.read(f, DatasetFormat.CSV);
        assertThat(r.events())
                .extracting(Event::toString)
                .containsExactly("u:1 click i:8 @1000", "u:2 like i:9 @2000");
    }
}
