package io.walkstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from the settings' descriptions in code and must match them.
 */
class ConfigurationDocTest {
    private static final String REGENERATE = "bin/walkstream config-docs --out " + ConfigDocs.PAGE;

    @Test
    void everySettingHasADescription() {
        assertThat(ConfigDocs.undescribed())
                .as("settings without a @Setting description (add one on the field)")
                .isEmpty();
    }

    @Test
    void thePageIsUpToDate() throws Exception {
        Path page = Path.of(ConfigDocs.PAGE);
        assertThat(page)
                .as(ConfigDocs.PAGE + " is missing; generate it with: " + REGENERATE)
                .exists();
        String onDisk = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(onDisk)
                .as(
                        ConfigDocs.PAGE
                                + " is stale (a setting, default or description changed); regenerate it with: "
                                + REGENERATE)
                .isEqualTo(ConfigDocs.render());
    }

    @Test
    void everySettingIsOnThePage() {
        String page = ConfigDocs.render();
        for (var section : ConfigDocs.settings(JobConfig.class)) {
            for (var f : ConfigDocs.settings(section.getType())) {
                assertThat(page).contains("| `" + section.getName() + "." + f.getName() + "` |");
            }
        }
        assertThat(page)
                .contains("| `graph.halfLifeMs` | `1209600000` (14 days) |")
                .contains("| `kafka.delivery` | `at-least-once` |")
                .contains("| `strategies.dir` | none |");
    }
}
