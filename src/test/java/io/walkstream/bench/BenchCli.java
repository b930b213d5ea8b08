package io.walkstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.cli.WalkstreamCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a {@code walkstream} command as the command line does, asserting it succeeded. */
final class BenchCli {
    private BenchCli() {}

    static void succeeds(String... args) {
        // picocli prints a failure's stack trace to its err writer: kept, so a failed run says why.
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new WalkstreamCli());
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertThat(code).as("exit code; the command printed:%n%s", err).isZero();
    }
}
