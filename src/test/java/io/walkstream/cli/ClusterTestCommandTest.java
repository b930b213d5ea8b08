package io.walkstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.io.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/walkstream cluster-test} in CI, smaller: a JobManager and TaskManagers as separate
 * JVMs (this JVM's classpath), a real broker, kill -9 of a TaskManager mid-stream. The command
 * itself checks the answers against a reference run; this test checks its verdict and figures.
 *
 * <p>Ring buffers of 16 edges make the check sensitive to the order the restored job applies its
 * replayed backlog in: the sources drain the two partitions at rates of their own, and a ring keeps
 * the last edges applied. Before steps applied updates in event-time order ({@code UpdateOrder}),
 * this run gave 30 of 30 answers different from the reference; at the default capacities the
 * backlog rarely reaches past what a ring holds, so it passed while the default-size command
 * failed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterTestCommandTest {
    @Test
    void aTaskManagerKilledWithSignal9LosesNoRequestAndChangesNoAnswer(@TempDir Path dir)
            throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code =
                    new CommandLine(new ClusterTestCommand())
                            .execute(
                                    "--interactions",
                                    "3000",
                                    "--requests",
                                    "30",
                                    "--rate",
                                    "400",
                                    "--set",
                                    "graph.itemCapacity=16",
                                    "--set",
                                    "graph.userCapacity=16",
                                    "--work-dir",
                                    dir.toString());
        } finally {
            System.setOut(original);
        }
        String out = stdout.toString(StandardCharsets.UTF_8).trim();
        Map<?, ?> summary =
                JsonCodec.mapper().readValue(out.substring(out.lastIndexOf('\n') + 1), Map.class);
        assertThat(summary.get("requests")).isEqualTo(30);
        assertThat(summary.get("answered")).isEqualTo(30);
        assertThat(summary.get("lost")).isEqualTo(0);
        assertThat(summary.get("duplicates")).isEqualTo(0);
        assertThat(summary.get("differentFromReference")).isEqualTo(0);
        assertThat(((Number) summary.get("restarts")).longValue()).isGreaterThanOrEqualTo(1);
        assertThat(((Number) summary.get("restoredCheckpoint")).longValue()).isPositive();
        assertThat(code).isZero();
    }
}
