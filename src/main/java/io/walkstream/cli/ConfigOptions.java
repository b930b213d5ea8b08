package io.walkstream.cli;

import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and repeatable {@code --set section.field=value}, shared by the commands
 * that run the job.
 */
public class ConfigOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Job configuration (YAML or JSON); defaults apply without one.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "SECTION.FIELD=VALUE",
            description = "Override one field, e.g. --set walk.walkers=500 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--buffer-timeout-ms",
            paramLabel = "MS",
            description =
                    "Flink network buffer timeout (default ${DEFAULT-VALUE}). Each of the walk's five shuffles may wait"
                            + " this long for a buffer to fill, so Flink's default of 100 ms adds hundreds of ms to a request at low traffic.")
    long bufferTimeoutMs = 5;

    public void apply(StreamExecutionEnvironment env) {
        env.setBufferTimeout(bufferTimeoutMs);
    }

    /** The configuration with {@code extra} overrides applied before the user's own (which win). */
    public JobConfig load(Map<String, String> extra) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(extra);
        if (config == null && !overrides.containsKey("strategies.dir")) {
            // Without a configuration file, the strategies shipped in the project serve the
            // channels.
            Path shipped =
                    Path.of(System.getProperty("walkstream.home", "."))
                            .resolve("job-configs/strategies");
            if (Files.isDirectory(shipped)) {
                all.put("strategies.dir", shipped.toAbsolutePath().toString());
            }
        }
        all.putAll(overrides);
        return config == null ? ConfigLoader.parse("", all) : ConfigLoader.load(config, all);
    }
}
