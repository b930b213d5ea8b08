package io.walkstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walkstream.model.Action;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    @Test
    void anEmptyFileIsTheDefaults() throws Exception {
        JobConfig cfg = ConfigLoader.parse("", Map.of());
        assertThat(cfg.walk.walkers).isEqualTo(1000);
        assertThat(cfg.walk.seedHalfLife).isEqualTo(2.0);
        assertThat(cfg.graph.weight(Action.PURCHASE.code())).isEqualTo(8f);
    }

    @Test
    void readsYamlAndAppliesOverrides() throws Exception {
        String yaml =
                """
                job:
                  parallelism: 4
                  stateBackend: rocksdb
                graph:
                  halfLifeMs: 3600000
                  actionWeights: {view: 0.5, purchase: 10}
                walk:
                  alignment: watermark
                """;
        JobConfig cfg =
                ConfigLoader.parse(yaml, Map.of("walk.walkers", "2000", "rank.beta", "0.7"));
        assertThat(cfg.job.parallelism).isEqualTo(4);
        assertThat(cfg.job.stateBackend).isEqualTo(RuntimeConfig.StateBackend.ROCKSDB);
        assertThat(cfg.graph.halfLifeMs).isEqualTo(3_600_000L);
        assertThat(cfg.graph.weight(Action.VIEW.code())).isEqualTo(0.5f);
        assertThat(cfg.graph.weight(Action.CLICK.code())).isZero(); // the map replaces the defaults
        assertThat(cfg.walk.alignment).isEqualTo(WalkConfig.Alignment.WATERMARK);
        assertThat(cfg.walk.walkers).isEqualTo(2000);
        assertThat(cfg.rank.beta).isEqualTo(0.7);
    }

    @Test
    void typosAndBadValuesAreReportedByField() {
        assertThatThrownBy(() -> ConfigLoader.parse("walk:\n  walkerz: 5\n", Map.of()))
                .hasMessageContaining("walk")
                .hasMessageContaining("walkerz");
        assertThatThrownBy(() -> ConfigLoader.parse("walk:\n  walkers: lots\n", Map.of()))
                .hasMessageContaining("walk.walkers");
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "rank.beta",
                                                "-1",
                                                "walk.walkers",
                                                "0",
                                                "graph.actionWeights.teleport",
                                                "1")))
                .hasMessageContaining("rank.beta must be in [0, 2], got -1.0")
                .hasMessageContaining("walk.walkers must be > 0, got 0")
                .hasMessageContaining("graph.actionWeights.teleport: not a graph action");
    }

    @Test
    void seedHalfLifeIsANonNegativeNumberOfInteractions() throws Exception {
        assertThat(ConfigLoader.parse("walk:\n  seedHalfLife: 0\n", Map.of()).walk.seedHalfLife)
                .isZero();
        assertThat(ConfigLoader.parse("", Map.of("walk.seedHalfLife", "4.5")).walk.seedHalfLife)
                .isEqualTo(4.5);
        assertThatThrownBy(() -> ConfigLoader.parse("", Map.of("walk.seedHalfLife", "-1")))
                .hasMessageContaining(
                        "walk.seedHalfLife must be a finite number >= 0 (0: off), got -1.0");
    }

    @Test
    void transitionSettingsParseInAnyCaseAndAreChecked() throws Exception {
        JobConfig cfg =
                ConfigLoader.parse(
                        "",
                        Map.of(
                                "graph.transitionWeighting",
                                "geometric",
                                "walk.transitionFanout",
                                "32",
                                "graph.transitionHalfLifeMs",
                                "0",
                                "rank.transitionBlend",
                                "0.5"));
        assertThat(cfg.graph.transitionWeighting)
                .isEqualTo(GraphConfig.TransitionWeighting.GEOMETRIC);
        assertThat(cfg.graph.transitionWeighting.weight(3)).isEqualTo(0.25);
        assertThat(GraphConfig.TransitionWeighting.HARMONIC.weight(4)).isEqualTo(0.25);
        assertThat(cfg.walk.transitionFanout).isEqualTo(32);
        assertThat(cfg.graph.transitionHalfLifeMs).isZero();
        assertThat(cfg.rank.transitionBlend).isEqualTo(0.5);
        assertThatThrownBy(
                        () ->
                                ConfigLoader.parse(
                                        "",
                                        Map.of(
                                                "walk.transitionFanout",
                                                "65",
                                                "graph.transitionHalfLifeMs",
                                                "-2",
                                                "rank.transitionBlend",
                                                "0.9",
                                                "rank.similarityBlend",
                                                "0.2")))
                .hasMessageContaining("walk.transitionFanout must be in [-1, 64], got 65")
                .hasMessageContaining("graph.transitionHalfLifeMs must be >= -1")
                .hasMessageContaining(
                        "rank.similarityBlend + rank.transitionBlend must be at most 1");
    }
}
