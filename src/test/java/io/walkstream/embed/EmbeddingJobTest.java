package io.walkstream.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.Request;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attributes and vectors through the whole dataflow: cold-start items, built-in and supplied
 * vectors.
 */
class EmbeddingJobTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final long T = 1_700_000_000_000L;

    static List<Event> catalogue() {
        List<Event> e = new ArrayList<>();
        e.add(Event.item("boot", "shoes", "acme", new String[] {"winter"}, null, T));
        e.add(Event.item("sandal", "shoes", "sunny", new String[] {"summer"}, null, T));
        e.add(Event.item("scarf", "clothes", "acme", new String[] {"winter"}, null, T));
        e.add(Event.item("teapot", "kitchen", "pots", null, null, T));
        e.add(Event.interaction("ann", "boot", Action.PURCHASE, T + 10));
        e.add(Event.interaction("ben", "teapot", Action.PURCHASE, T + 11));
        // Re-sent metadata must not duplicate attribute edges (it would double the category's
        // pull).
        e.add(Event.item("boot", "shoes", "acme", new String[] {"winter"}, null, T + 12));
        // A brand-new item with no interactions at all: only its attributes connect it.
        e.add(Event.item("new-boot", "shoes", "acme", new String[] {"winter"}, null, T + 20));
        return e;
    }

    static String[] ids(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toArray(String[]::new);
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void coldStartItemsAreReachedThroughAttributesAndHaveVectors(StateBackend backend)
            throws Exception {
        JobConfig cfg = Clusters.config(backend);
        Request forAnn = Request.forUser("ann-1", "ann", 10, T + 100);
        Request likeBoot = Request.forItem("like-boot", "boot", 10, T + 100);
        JobRunner.Run run = JobRunner.run(cfg, catalogue(), List.of(forAnn, likeBoot));

        Recommendation ann = run.get("ann-1");
        // new-boot shares category, brand and tag with her boot: it comes first; teapot shares
        // nothing.
        assertThat(ids(ann))
                .startsWith("new-boot")
                .contains("sandal", "scarf")
                .doesNotContain("teapot", "boot");
        RecommendedItem first = ann.items[0];
        assertThat(first.contexts).isEqualTo(3);
        assertThat(first.similarity).isGreaterThan(ann.items[ann.items.length - 1].similarity);
        assertThat(first.similarity)
                .isPositive(); // a vector from attributes alone, pointing towards her boot

        Recommendation like = run.get("like-boot");
        assertThat(ids(like)[0]).isEqualTo("new-boot");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void suppliedVectorsTakePrecedenceOverBuiltInOnes(StateBackend backend) throws Exception {
        JobConfig cfg = Clusters.config(backend);
        cfg.rank.similarityBlend = 1.0; // rank by similarity alone
        List<Event> e = new ArrayList<>();
        // p, q, r share one category, so built-in vectors cannot tell them apart; supplied vectors
        // can.
        e.add(Event.item("p", "c", null, null, new float[] {1, 0, 0}, T));
        e.add(Event.item("q", "c", null, null, new float[] {0.9f, 0.1f, 0}, T));
        e.add(Event.item("r", "c", null, null, new float[] {-1, 0, 0.2f}, T));
        e.add(Event.interaction("u", "p", Action.LIKE, T + 1));
        Request req = Request.forUser("sim", "u", 5, T + 10);
        req.candidates = new String[] {"r", "q"};
        Recommendation rec = JobRunner.run(cfg, e, List.of(req)).get("sim");
        assertThat(ids(rec)).containsExactly("q", "r");
        assertThat(rec.items[0].similarity).isGreaterThan(0.98);
        assertThat(rec.items[1].similarity).isLessThan(-0.9);
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void aVectorOnlyRecordKeepsTheAttributesAndTheAnswerNamesItsModel(StateBackend backend)
            throws Exception {
        JobConfig cfg = Clusters.config(backend);
        List<Event> e = new ArrayList<>();
        e.add(Event.item("p", "c", "b", null, null, T));
        e.add(Event.item("q", "c", "b", null, null, T));
        e.add(Event.interaction("u", "p", Action.LIKE, T + 1));
        for (String item : List.of("p", "q")) {
            Event v = Event.item(item, null, null, null, new float[] {1, 0.5f, 0}, T + 2);
            v.model = "m1";
            e.add(v);
        }
        Request forU = Request.forUser("for-u", "u", 5, T + 10);
        Request inspectQ = new Request();
        inspectQ.requestId = "inspect-q";
        inspectQ.inspect = "q";
        inspectQ.ts = T + 10;
        JobRunner.Run run = JobRunner.run(cfg, e, List.of(forU, inspectQ));
        Recommendation rec = run.get("for-u");
        assertThat(ids(rec)).containsExactly("q"); // still reached through its category and brand
        assertThat(rec.items[0].contexts).isEqualTo(2);
        assertThat(rec.items[0].similarity).isGreaterThan(0.99);
        assertThat(rec.embeddingModels).containsExactly("m1");
        assertThat(run.get("inspect-q").inspect)
                .contains("\"category\":\"c\"", "\"suppliedModel\":\"m1\"");
    }
}
