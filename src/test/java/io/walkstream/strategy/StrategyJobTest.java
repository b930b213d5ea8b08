package io.walkstream.strategy;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Channel strategies through the whole dataflow, on heap and RocksDB.
 *
 * <pre>
 * shoes: s1..s4 (brand acme: s1, s2), toys: t1..t3, books: k1
 * u1, u2, u3 bought s1 and s2;  u2, u3 also bought s3;  u4 bought t1, t2 (t1 twice) and k1;
 * u5 bought s4 and t3;  alice bought s1 and follows u4.
 * </pre>
 */
class StrategyJobTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final long T = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;

    @TempDir Path strategies;

    static List<Event> shop() {
        List<Event> e = new ArrayList<>();
        for (String s : List.of("s1", "s2")) {
            e.add(Event.item(s, "shoes", "acme", null, null, T));
        }
        for (String s : List.of("s3", "s4")) {
            e.add(Event.item(s, "shoes", "sunny", null, null, T));
        }
        for (String t : List.of("t1", "t2", "t3")) {
            e.add(Event.item(t, "toys", "fun", null, null, T));
        }
        e.add(Event.item("k1", "books", "read", null, null, T));
        long ts = T + 1;
        for (String u : List.of("u1", "u2", "u3")) {
            e.add(Event.interaction(u, "s1", Action.PURCHASE, ts++));
            e.add(Event.interaction(u, "s2", Action.PURCHASE, ts++));
        }
        e.add(Event.interaction("u2", "s3", Action.PURCHASE, ts++));
        e.add(Event.interaction("u3", "s3", Action.VIEW, ts++));
        e.add(Event.interaction("u4", "t1", Action.PURCHASE, ts++));
        e.add(Event.interaction("u4", "t1", Action.PURCHASE, ts++));
        e.add(Event.interaction("u4", "t2", Action.VIEW, ts++));
        e.add(Event.interaction("u4", "k1", Action.VIEW, ts++));
        e.add(Event.interaction("u5", "s4", Action.VIEW, ts++));
        e.add(Event.interaction("u5", "t3", Action.VIEW, ts++));
        e.add(Event.interaction("alice", "s1", Action.PURCHASE, ts++));
        e.add(Event.follow("alice", "u4", ts++));
        return e;
    }

    JobConfig config(StateBackend backend, String... docs) throws Exception {
        for (String doc : docs) {
            Files.writeString(strategies.resolve(StrategyLoader.parse(doc).name + ".yaml"), doc);
        }
        JobConfig cfg = Clusters.config(backend);
        cfg.strategies.dir = strategies.toString();
        cfg.strategies.defaultStrategy = "feed";
        return cfg;
    }

    static Request user(String id, String user, String channel, long ts) {
        Request r = Request.forUser(id, user, 10, ts);
        r.channel = channel;
        return r;
    }

    static String[] ids(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toArray(String[]::new);
    }

    static RecommendedItem find(Recommendation r, String item) {
        return Arrays.stream(r.items).filter(i -> i.item.equals(item)).findFirst().orElse(null);
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void coldUsersGetTheFallbackTrendingInItsCategoriesWithCaps(StateBackend backend)
            throws Exception {
        JobConfig cfg =
                config(
                        backend,
                        "name: feed\nsources: [{type: walk}]\nfallback: [cold]\n",
                        "name: cold\nversion: 4\nsources: [{type: trending, categories: [shoes, toys], perCategory: 5}]\ncombiner: {maxPerCategory: 2}\n");
        Recommendation r =
                JobRunner.run(cfg, shop(), List.of(user("new", "newbie", "feed", T + HOUR)))
                        .get("new");
        assertThat(r.strategy).isEqualTo("cold");
        assertThat(r.strategyVersion).isEqualTo(4);
        assertThat(r.partial).isFalse();
        // Most interacted first: s1, s2 (3 purchases each) for shoes, t1 (2 purchases) then t2 for
        // toys.
        assertThat(ids(r)).containsExactlyInAnyOrder("s1", "s2", "t1", "t2");
        for (RecommendedItem it : r.items) {
            assertThat(it.source).isEqualTo("trending");
            assertThat(it.reasons[0]).isIn("popular in shoes", "popular in toys");
        }
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void sourcesAreInterleavedAndEachExplainsItsPath(StateBackend backend) throws Exception {
        JobConfig cfg =
                config(
                        backend,
                        """
                name: feed
                version: 2
                sources:
                  - {type: walk, weight: 1}
                  - {type: follows, weight: 1}
                  - {type: trending, weight: 1, perCategory: 4}
                """);
        Recommendation r =
                JobRunner.run(cfg, shop(), List.of(user("a", "alice", "feed", T + HOUR))).get("a");
        assertThat(r.strategy).isEqualTo("feed");
        assertThat(r.strategyVersion).isEqualTo(2);
        Map<String, String> source = new HashMap<>();
        for (RecommendedItem it : r.items) {
            source.put(it.item, it.source);
        }
        assertThat(source.values()).contains("walk", "follows", "trending");
        assertThat(source.keySet()).doesNotContain("s1"); // hers already
        for (RecommendedItem it : r.items) {
            switch (it.source) {
                // Walks from s1 (her purchase) through its buyers: the path is real.
                case "walk" -> {
                    if (it.via != null && it.via.length > 0) {
                        assertThat(it.via).containsOnly("s1");
                        assertThat(it.reasons).contains("because you bought s1");
                        if (it.contexts == 0) { // along s1's transition edges alone
                            assertThat(it.reasons).anyMatch(x -> x.startsWith("often next after"));
                        }
                    }
                }
                // Items u4 (whom she follows) interacted with.
                case "follows" -> {
                    assertThat(it.item).isIn("t1", "t2", "k1");
                    assertThat(it.reasons).contains("liked by people you follow");
                }
                // Trending in the category of her seed s1.
                default -> {
                    assertThat(it.item).isIn("s2", "s3", "s4");
                    assertThat(it.reasons).contains("popular in shoes");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void filtersDropCategoriesBrandsAndOldItems(StateBackend backend) throws Exception {
        JobConfig cfg =
                config(
                        backend,
                        "name: feed\nsources: [{type: walk}, {type: follows}]\nfilters: {excludeCategories: [toys], excludeBrands: [sunny]}\n",
                        "name: fresh\nsources: [{type: walk}, {type: follows}]\nfilters: {includeCategories: [books, shoes], maxItemAgeMs: 1000}\n");
        List<Event> events = shop();
        events.add(Event.item("k2", "books", "read", null, null, T + HOUR - 500));
        events.add(Event.interaction("u4", "k2", Action.VIEW, T + HOUR - 400));
        JobRunner.Run run =
                JobRunner.run(
                        cfg,
                        events,
                        List.of(
                                user("f", "alice", "feed", T + HOUR),
                                user("g", "alice", "fresh", T + HOUR)));
        assertThat(ids(run.get("f"))).contains("s2").doesNotContain("t1", "t2", "s3", "s4");
        assertThat(ids(run.get("g")))
                .containsExactly("k2"); // the only book or shoe first seen within a second
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void servedItemsAreNotShownAgainWithinTheWindow(StateBackend backend) throws Exception {
        JobConfig cfg =
                config(
                        backend,
                        "name: feed\nsources: [{type: walk}]\nfilters: {servedWithinMs: 3600000}\n");
        Recommendation first =
                JobRunner.run(cfg, shop(), List.of(user("r1", "u1", "feed", T + HOUR))).get("r1");
        assertThat(first.items).isNotEmpty();
        List<Event> events = shop();
        for (RecommendedItem it : first.items) {
            events.add(Event.interaction("u1", it.item, Action.IMPRESSION, T + HOUR + 1));
        }
        JobRunner.Run run =
                JobRunner.run(
                        cfg,
                        events,
                        List.of(
                                user("r2", "u1", "feed", T + HOUR + 10),
                                user("r3", "u1", "feed", T + 3 * HOUR)));
        Set<String> served = Set.of(ids(first));
        assertThat(ids(run.get("r2"))).doesNotContainAnyElementsOf(served);
        assertThat(ids(run.get("r3"))).containsAll(served); // the window has passed
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void aDislikeRemovesTheItemAndPullsSimilarOnesDown(StateBackend backend) throws Exception {
        JobConfig cfg =
                config(
                        backend,
                        "name: feed\nsources: [{type: walk, similarityBlend: 0.5, transitionBlend: 0.5}]\n");
        List<Event> events = shop();
        events.add(Event.interaction("u5", "s1", Action.PURCHASE, T + 100));
        Request before = user("before", "u5", "feed", T + HOUR);
        events.add(Event.interaction("u5", "s2", Action.DISLIKE, T + HOUR + 1));
        Request after = user("after", "u5", "feed", T + 2 * HOUR);
        JobRunner.Run run = JobRunner.run(cfg, events, List.of(before, after));
        RecommendedItem s2Before = find(run.get("before"), "s2");
        RecommendedItem s3Before = find(run.get("before"), "s3");
        assertThat(s2Before).isNotNull();
        assertThat(find(run.get("after"), "s2")).isNull();
        // s3 was bought by s2's buyers: its vector is close to s2's, so the dislike lowers it.
        RecommendedItem s3After = find(run.get("after"), "s3");
        assertThat(s3After.similarity).isLessThan(s3Before.similarity);
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void everyAnswerNamesItsVariantAndAUserKeepsTheirs(StateBackend backend) throws Exception {
        JobConfig cfg =
                config(
                        backend,
                        """
                name: feed
                sources: [{type: walk}]
                variants:
                  - {name: a, share: 50}
                  - {name: b, share: 50, sources: [{type: trending, categories: [toys]}]}
                """);
        List<Request> requests = new ArrayList<>();
        for (String u : List.of("u1", "u2", "u3", "u4", "u5", "alice")) {
            requests.add(user(u + "-1", u, "feed", T + HOUR));
            requests.add(user(u + "-2", u, "feed", T + 2 * HOUR));
        }
        JobRunner.Run run = JobRunner.run(cfg, shop(), requests);
        Set<String> seen = new HashSet<>();
        for (String u : List.of("u1", "u2", "u3", "u4", "u5", "alice")) {
            Recommendation one = run.get(u + "-1");
            assertThat(one.variant).isIn("a", "b");
            assertThat(run.get(u + "-2").variant).isEqualTo(one.variant);
            if (one.variant.equals("b")) {
                assertThat(one.items).allMatch(i -> i.source.equals("trending"));
            }
            seen.add(one.variant);
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b");
        // Per-variant counters (Flink metrics and job accumulators) add up to every answer.
        long a = run.counter("strategy.feed.a.answered");
        long b = run.counter("strategy.feed.b.answered");
        assertThat(a).isPositive();
        assertThat(b).isPositive();
        assertThat(a + b).isEqualTo(requests.size());
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void trendingCountsInteractionsThatArrivedBeforeTheItemsCategory(StateBackend backend)
            throws Exception {
        JobConfig cfg =
                config(backend, "name: feed\nsources: [{type: trending, categories: [zone]}]\n");
        List<Event> events = new ArrayList<>();
        events.add(Event.interaction("x1", "z1", Action.PURCHASE, T + 1));
        events.add(Event.interaction("x2", "z1", Action.PURCHASE, T + 2));
        events.add(Event.interaction("x1", "z2", Action.VIEW, T + 3));
        // The catalogue arrives after the interactions (another topic, another pace).
        events.add(Event.item("z1", "zone", null, null, null, T + 10));
        events.add(Event.item("z2", "zone", null, null, null, T + 11));
        Recommendation r =
                JobRunner.run(cfg, events, List.of(user("t", "newbie", "feed", T + HOUR))).get("t");
        assertThat(ids(r)).containsExactly("z1", "z2");
        assertThat(r.items[0].reasons).contains("popular in zone");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void embeddingNeighboursReachItemsNoWalkCanReach(StateBackend backend) throws Exception {
        JobConfig cfg =
                config(
                        backend,
                        "name: feed\nsources: [{type: walk}, {type: embedding, perSeed: 5}]\n");
        List<Event> events = new ArrayList<>();
        events.add(Event.item("a", "x", null, null, new float[] {1, 0, 0}, T));
        events.add(
                Event.item("b", "y", null, null, new float[] {2, 0, 0}, T)); // same direction as a
        events.add(Event.item("c", "z", null, null, new float[] {-1, 0, 0}, T)); // the opposite
        events.add(Event.interaction("ann", "a", Action.LIKE, T + 1));
        events.add(Event.interaction("bob", "b", Action.VIEW, T + 2));
        events.add(Event.interaction("cat", "c", Action.VIEW, T + 3));
        Recommendation r =
                JobRunner.run(cfg, events, List.of(user("e", "ann", "feed", T + HOUR))).get("e");
        assertThat(ids(r)).containsExactly("b");
        RecommendedItem b = r.items[0];
        assertThat(b.source).isEqualTo("embedding");
        assertThat(b.similarity).isGreaterThan(0.99);
        assertThat(b.reasons).contains("close to items you interacted with");
        assertThat(r.partial).isFalse();
    }
}
