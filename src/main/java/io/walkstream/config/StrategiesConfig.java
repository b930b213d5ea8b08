package io.walkstream.config;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the channel strategies come from, and which one serves requests without a known channel.
 */
public class StrategiesConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    @Setting(
            "A folder of strategy files (`*.yaml`, `*.yml`, `*.json`), read when the job is built; relative to the "
                    + "configuration file's folder (the demo uses `job-configs/strategies`).")
    public String dir;

    @Setting(
            "The strategy for requests whose channel names none. Without any strategy, requests get one walk source "
                    + "with the `walk` and `rank` settings.")
    public String defaultStrategy = "home";

    void validate(List<String> problems) {
        if (defaultStrategy == null || defaultStrategy.isBlank()) {
            problems.add("strategies.defaultStrategy must not be empty");
        }
        if (dir != null && !Files.isDirectory(Path.of(dir))) {
            problems.add("strategies.dir: not a folder: " + dir);
        }
    }
}
