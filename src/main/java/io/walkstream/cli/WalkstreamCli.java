package io.walkstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/walkstream}: the command-line entry point. */
@Command(
        name = "walkstream",
        mixinStandardHelpOptions = true,
        version = "walkstream 0.1.0",
        description = "Real-time graph recommender on Apache Flink and Kafka.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            RequestCommand.class,
            ServeCommand.class,
            GatewayLoadCommand.class,
            EvalCommand.class,
            TrainCommand.class,
            BenchCommand.class,
            ClusterTestCommand.class,
            ConfigDocsCommand.class,
            CommandLine.HelpCommand.class
        })
public class WalkstreamCli {
    public static void main(String[] args) {
        int code =
                new CommandLine(new WalkstreamCli())
                        .setCaseInsensitiveEnumValuesAllowed(true)
                        .execute(args);
        System.exit(code);
    }
}
