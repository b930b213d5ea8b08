package io.walkstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.io.VectorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code walkstream train} end to end on a small log: the file, the curve, and byte-identical
 * reruns with a fixed seed.
 */
class TrainCommandTest {
    @TempDir Path dir;

    static int trainCli(String... args) {
        return new CommandLine(new TrainCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    /** {@code train} on a CSV log, writing {@code out}, with the given options besides. */
    static int trainCsv(Path log, Path out, String... options) {
        String[] args = new String[6 + options.length];
        String[] base = {"--dataset", log.toString(), "--format", "csv", "--out", out.toString()};
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(options, 0, args, base.length, options.length);
        return trainCli(args);
    }

    int train(Path log, Path out, String threads, String seed) {
        return trainCsv(
                log,
                out,
                "--epochs",
                "2",
                "--dim",
                "8",
                "--layers",
                "1",
                "--batch-size",
                "64",
                "--negative-pool",
                "20",
                "--validation-users",
                "10",
                "--threads",
                threads,
                "--seed",
                seed);
    }

    @Test
    void aSeededRunWritesTheSameFileWhateverTheThreadCount() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder();
        for (int u = 0; u < 60; u++) {
            for (int n = 0; n < 8; n++) {
                csv.append("u")
                        .append(u)
                        .append(",i")
                        .append((u % 3) * 20 + r.nextInt(20))
                        .append(",view,")
                        .append(1_600_000_000_000L + u * 100_000L + n)
                        .append('\n');
            }
        }
        Path log = dir.resolve("log.csv");
        Files.writeString(log, csv);
        Path a = dir.resolve("a.jsonl"), b = dir.resolve("b.jsonl"), c = dir.resolve("c.jsonl");
        assertThat(train(log, a, "1", "7")).isZero();
        assertThat(train(log, b, "2", "7")).isZero();
        assertThat(train(log, c, "2", "8")).isZero();
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        assertThat(Files.readAllBytes(c)).isNotEqualTo(Files.readAllBytes(a));
        VectorsFile.Vectors v = VectorsFile.read(a);
        assertThat(v.dim()).isEqualTo(8);
        assertThat(v.model()).matches("lightgcn-[0-9a-f]{8}");
        assertThat(v.training().at("/curve")).hasSize(2);
        assertThat(v.training().at("/split").asText()).isEqualTo("leave-last-out");
        assertThat(Files.readAllBytes(dir.resolve("a.jsonl.png"))).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void timeSplitTrainsOnTheEvaluationsTrainingPartAndRecordsTheCutoff() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int u = 0; u < 30; u++) {
            for (int n = 0; n < 6; n++) {
                csv.append("u").append(u).append(",i").append((u * 7 + n * 3) % 40);
                csv.append(",view,").append(1_600_000_000_000L + (u * 6L + n) * 1000).append('\n');
            }
        }
        Path log = dir.resolve("ts.csv");
        Files.writeString(log, csv);
        Path out = dir.resolve("ts.jsonl");
        int code =
                trainCsv(
                        log,
                        out,
                        "--epochs",
                        "1",
                        "--dim",
                        "4",
                        "--validation-users",
                        "5",
                        "--split",
                        "time-split",
                        "--cutoff",
                        "0.5");
        assertThat(code).isZero();
        VectorsFile.Vectors v = VectorsFile.read(out);
        assertThat(v.training().at("/split").asText()).isEqualTo("time-split");
        assertThat(v.training().at("/cutoff").asDouble()).isEqualTo(0.5);
        // Users 0–14 come before the cut-off: half of the 180 interactions, less validation.
        assertThat(v.training().at("/data/users").asInt()).isEqualTo(15);
        assertThat(trainCsv(log, out, "--split", "sometimes")).isEqualTo(2);
    }
}
