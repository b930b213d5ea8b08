package io.walkstream.config;

import java.io.Serializable;
import java.util.List;

/** Where the channel strategies come from, and which one serves requests without a known channel. */
public class StrategiesConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A folder of strategy files (*.yaml, *.yml, *.json), read when the job is built; null = none. */
    public String dir;
    /** The strategy for requests whose channel names no strategy. */
    public String defaultStrategy = "home";

    void validate(List<String> problems) {
        if (defaultStrategy == null || defaultStrategy.isBlank()) problems.add("strategies.defaultStrategy must not be empty");
        if (dir != null && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(dir))) {
            problems.add("strategies.dir: not a folder: " + dir);
        }
    }
}
