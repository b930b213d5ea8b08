package io.walkstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walkstream.gen.DatasetFormat;
import io.walkstream.io.JsonCodec;
import io.walkstream.io.VectorsFile;
import io.walkstream.model.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vectors file: a header, then records the items topic accepts; bad files are refused with the
 * line.
 */
class VectorsFileTest {
    @TempDir Path dir;

    @Test
    void roundTripsAndEveryLineIsAnItemsRecord() throws IOException {
        Map<String, float[]> v = new LinkedHashMap<>();
        v.put("i:2", new float[] {0.6f, -0.8f});
        v.put("i:10", new float[] {1f, 0f});
        Path f = dir.resolve("v.jsonl");
        VectorsFile.write(f, "m-1", v, Map.of("epochs", 3));
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .startsWith(
                        "{\"walkstreamVectors\":1,\"model\":\"m-1\",\"dim\":2,\"count\":2,\"training\":{\"epochs\":3}}");
        assertThat(lines.get(1))
                .isEqualTo("{\"item\":\"i:10\",\"embedding\":[1.0,0.0],\"model\":\"m-1\"}"); // id
        // order
        Event e =
                JsonCodec.parseItem(lines.get(2).getBytes(StandardCharsets.UTF_8), 5, 2, 1024)
                        .value();
        assertThat(e.item).isEqualTo("i:2");
        assertThat(e.model).isEqualTo("m-1");
        assertThat(e.embedding).containsExactly(0.6f, -0.8f);

        VectorsFile.Vectors back = VectorsFile.read(f);
        assertThat(back.model()).isEqualTo("m-1");
        assertThat(back.dim()).isEqualTo(2);
        assertThat(back.byItem()).containsOnlyKeys("i:2", "i:10");
        assertThat(VectorsFile.events(back, 99))
                .allMatch(ev -> ev.ts == 99 && "m-1".equals(ev.model) && ev.category == null);
        assertThat(VectorsFile.contentVersion(v))
                .matches("sage-[0-9a-f]{8}")
                .isEqualTo(VectorsFile.contentVersion(back.byItem()));
    }

    @Test
    void refusesWrongDimensionsNonFiniteValuesAndForeignModels() throws IOException {
        String head = "{\"walkstreamVectors\":1,\"model\":\"m\",\"dim\":2,\"count\":1}\n";
        assertThat(refusal(head + "{\"item\":\"i:1\",\"embedding\":[1,2,3],\"model\":\"m\"}\n"))
                .contains("line 2", "wrong dimension");
        assertThat(refusal(head + "{\"item\":\"i:1\",\"embedding\":[NaN,2],\"model\":\"m\"}\n"))
                .contains("line 2", "invalid JSON");
        assertThat(refusal(head + "{\"item\":\"i:1\",\"embedding\":[1e99,2],\"model\":\"m\"}\n"))
                .contains("not a finite number");
        assertThat(refusal(head + "{\"item\":\"i:1\",\"embedding\":[1,2],\"model\":\"other\"}\n"))
                .contains("header says m");
        assertThat(refusal("{\"item\":\"i:1\"}\n")).contains("not a walkstream vectors header");
        assertThat(refusal(head)).contains("header says 1 vectors, found 0");
    }

    private String refusal(String content) throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, content);
        return Assertions.catchThrowableOfType(IOException.class, () -> VectorsFile.read(f))
                .getMessage();
    }

    @Test
    void trainingSettingsLoadFromYamlAndReportEveryProblem() throws IOException {
        Path y = dir.resolve("t.yaml");
        Files.writeString(
                y,
                "fanouts: [15, 5]\nhidden: [128, 64]\nactivations: [relu, tanh]\noptimizer: adagrad\nnegativeSampling: popularity\n");
        TrainConfig c = TrainConfig.load(y);
        assertThat(c.fanouts).containsExactly(15, 5);
        assertThat(c.optimizer).isEqualTo(TrainConfig.OptimizerKind.ADAGRAD);
        assertThat(c.negativeSampling).isEqualTo(TrainConfig.NegativeSampling.POPULARITY);
        assertThat(c.problems()).isEmpty();
        c.activations = List.of("relu", "swish");
        c.clipNorm = -1;
        assertThat(c.problems())
                .anyMatch(p -> p.contains("unknown activation 'swish'"))
                .anyMatch(p -> p.startsWith("clipNorm"));
        Files.writeString(y, "fanout: [1]\n");
        assertThatThrownBy(() -> TrainConfig.load(y)).hasMessageContaining("fanout");
    }

    @Test
    void readsMovieLensCatalogues() throws IOException {
        Path uItem = dir.resolve("u.item");
        Files.writeString(
                uItem,
                "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\nbroken\n",
                StandardCharsets.ISO_8859_1);
        Path movies = dir.resolve("movies.dat");
        Files.writeString(
                movies,
                "2::Jumanji (1995)::Adventure|Children's|Fantasy\n",
                StandardCharsets.ISO_8859_1);
        int[] skipped = {0};
        assertThat(CatalogueAttributes.read(uItem, skipped))
                .containsEntry(
                        "i:1", List.of("genre:Animation", "genre:Children's", "genre:Comedy"));
        assertThat(skipped[0]).isEqualTo(1);
        assertThat(CatalogueAttributes.read(movies, skipped))
                .containsEntry(
                        "i:2", List.of("genre:Adventure", "genre:Children's", "genre:Fantasy"));
        assertThat(CatalogueAttributes.beside(dir.resolve("u.data"), DatasetFormat.MOVIELENS))
                .isEqualTo(uItem.toAbsolutePath());
    }
}
