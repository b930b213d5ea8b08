package io.walkstream.cli;

import io.walkstream.config.ConfigDocs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code walkstream config-docs}: prints or writes the configuration reference page. */
@Command(
        name = "config-docs",
        mixinStandardHelpOptions = true,
        description =
                "Print the configuration reference (docs/configuration.md), generated from the settings' descriptions in code.")
public class ConfigDocsCommand implements Callable<Integer> {
    @Option(
            names = "--out",
            paramLabel = "FILE",
            description =
                    "Write the page to FILE (e.g. docs/configuration.md) instead of printing it.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            System.out.print(ConfigDocs.render());
        } else {
            ConfigDocs.write(out);
            System.err.println("wrote " + out);
        }
        return 0;
    }
}
