package io.walkstream.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code src/main} form layers that read downwards, as the dataflow does: messages
 * ({@code model}) at the bottom, settings, the graph's storage and the strategy compiler above
 * them, then the walk's steps, ranking, the job that wires them, the Kafka wiring around the job,
 * and the applications on top. Read from the compiled classes, so an inline qualified name counts
 * as much as an import. A new dependency that points upwards, or a cycle between packages, fails
 * here.
 */
class LayeringTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.walkstream");
    }

    @Test
    void layersReadDownwards() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("model")
                .definedBy("io.walkstream.model..")
                .layer("config")
                .definedBy("io.walkstream.config..")
                .layer("graph")
                .definedBy("io.walkstream.graph..")
                .layer("embed")
                .definedBy("io.walkstream.embed..")
                .layer("strategy")
                .definedBy("io.walkstream.strategy..")
                .layer("gen")
                .definedBy("io.walkstream.gen..")
                .layer("walk")
                .definedBy("io.walkstream.walk..")
                .layer("rank")
                .definedBy("io.walkstream.rank..")
                .layer("job")
                .definedBy("io.walkstream")
                .layer("io")
                .definedBy("io.walkstream.io..")
                .layer("eval")
                .definedBy("io.walkstream.eval..")
                .layer("train")
                .definedBy("io.walkstream.train..")
                .layer("bench")
                .definedBy("io.walkstream.bench..")
                .layer("serve")
                .definedBy("io.walkstream.serve..")
                .layer("cli")
                .definedBy("io.walkstream.cli..")
                .whereLayer("model")
                .mayNotAccessAnyLayer()
                .whereLayer("config")
                .mayOnlyAccessLayers("model")
                .whereLayer("graph")
                .mayOnlyAccessLayers("model", "config")
                .whereLayer("embed")
                .mayOnlyAccessLayers("model", "config", "graph")
                .whereLayer("strategy")
                .mayOnlyAccessLayers("model", "config")
                .whereLayer("gen")
                .mayOnlyAccessLayers("model", "config")
                .whereLayer("walk")
                .mayOnlyAccessLayers("model", "config", "graph", "embed", "strategy")
                .whereLayer("rank")
                .mayOnlyAccessLayers("model", "config", "graph", "embed", "strategy", "walk")
                .whereLayer("job")
                .mayOnlyAccessLayers(
                        "model", "config", "graph", "embed", "strategy", "walk", "rank")
                .whereLayer("io")
                .mayOnlyAccessLayers(
                        "model", "config", "graph", "embed", "strategy", "walk", "rank", "job")
                // The applications use the engine and each other's nothing, but the command line
                // uses them all.
                .whereLayer("eval")
                .mayOnlyAccessLayers(
                        "model",
                        "config",
                        "graph",
                        "embed",
                        "strategy",
                        "gen",
                        "walk",
                        "rank",
                        "job",
                        "io")
                .whereLayer("train")
                .mayOnlyAccessLayers(
                        "model",
                        "config",
                        "graph",
                        "embed",
                        "strategy",
                        "gen",
                        "walk",
                        "rank",
                        "job",
                        "io")
                .whereLayer("bench")
                .mayOnlyAccessLayers(
                        "model",
                        "config",
                        "graph",
                        "embed",
                        "strategy",
                        "gen",
                        "walk",
                        "rank",
                        "job",
                        "io")
                .whereLayer("serve")
                .mayOnlyAccessLayers(
                        "model",
                        "config",
                        "graph",
                        "embed",
                        "strategy",
                        "gen",
                        "walk",
                        "rank",
                        "job",
                        "io")
                .check(main);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.walkstream.(*)..").should().beFreeOfCycles().check(main);
    }
}
