package io.walkstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.io.VectorsFile;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Training on a planted structure: 4 communities of 25 items; each user interacts only within one.
 * The model must find the communities from the graph alone (no attribute says which), and place
 * attribute-only (cold-start) items with the community their attributes share.
 */
class TrainerTest {
    static final int COMMUNITIES = 4, ITEMS_PER = 25, USERS = 160, PER_USER = 12;
    static final long T = 1_600_000_000_000L;

    static String item(int community, int k) {
        return "i:" + community + "-" + k;
    }

    static int community(String item) {
        return item.charAt(2) - '0';
    }

    /**
     * Interactions of the planted users; {@code heldOut} receives one unseen item of each user's
     * community.
     */
    static List<Event> planted(Map<String, String> heldOut) {
        SplittableRandom r = new SplittableRandom(7);
        List<Event> events = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int c = u % COMMUNITIES;
            Set<Integer> picked = new LinkedHashSet<>();
            while (picked.size() < PER_USER + 1) {
                picked.add(r.nextInt(ITEMS_PER));
            }
            int n = 0;
            for (int k : picked) {
                if (n++ == PER_USER) {
                    heldOut.put("u:" + u, item(c, k));
                } else {
                    events.add(
                            Event.interaction(
                                    "u:" + u, item(c, k), Action.VIEW, T + (long) u * 1000 + n));
                }
            }
        }
        return events;
    }

    static TrainConfig small(TrainConfig.Model model) {
        TrainConfig c = new TrainConfig();
        c.model = model;
        c.patience = 0; // every epoch, so the curves below have their full length
        c.inputDim = 16;
        c.sageDim = 16;
        c.hidden = List.of(16);
        c.activations = List.of("relu");
        c.outDim = 8;
        c.fanouts = List.of(5, 3);
        c.epochs = 6;
        c.batchSize = 64;
        c.negativePool = 32;
        c.negatives = 4;
        c.learningRate = 0.01;
        c.validationUsers = 40;
        c.threads = 2;
        c.propagationLayers = 1;
        return c;
    }

    static Trainer.Result train(
            TrainConfig cfg, List<Event> events, Map<String, List<String>> attrs) throws Exception {
        HoldOut.Split held =
                HoldOut.split(events, cfg.validationUsers, cfg.seed, cfg.queryHalfLife);
        TrainingGraph graph = new TrainingGraph(held.train(), attrs, cfg.halfLifeDays);
        return Trainer.run(cfg, graph, held.holdOut(), line -> {});
    }

    static double cos(float[] a, float[] b) {
        double d = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return d / Math.sqrt(na * nb);
    }

    @ParameterizedTest
    @EnumSource(TrainConfig.Model.class)
    void lossFallsAndHeldOutItemsOfTheUsersCommunityRankFirst(TrainConfig.Model model)
            throws Exception {
        Map<String, String> heldOut = new HashMap<>();
        List<Event> events = planted(heldOut);
        Trainer.Result result = train(small(model), events, Map.of());

        List<Trainer.Epoch> curve = result.curve();
        assertThat(curve).hasSize(6);
        // BPR starts at ln 2 per pair and the first epoch's mean is still near it; the softmax
        // learns most of the structure within its first epoch, so its yardstick is the loss of
        // untrained (random, nearly orthogonal) vectors: ln(pool + 1).
        double start =
                model == TrainConfig.Model.SAGE
                        ? curve.get(0).loss()
                        : Math.log(small(model).negativePool + 1);
        assertThat(curve.get(5).loss()).as("loss falls: %s", curve).isLessThan(0.7 * start);
        assertThat(curve.get(5).validationAuc()).as("validation AUC").isGreaterThan(0.85);

        // Held-out AUC, computed here independently: each user's unseen item of their community
        // against every item of the other communities, scored by cosine to the mean of the user's
        // item vectors.
        Map<String, float[]> v = result.vectors();
        Map<String, List<String>> history = new HashMap<>();
        for (Event e : events) {
            history.computeIfAbsent(e.user, u -> new ArrayList<>()).add(e.item);
        }
        double pairs = 0, correct = 0;
        for (Map.Entry<String, String> h : heldOut.entrySet()) {
            float[] user = new float[8];
            for (String i : history.get(h.getKey())) {
                for (int d = 0; d < 8; d++) {
                    user[d] += v.get(i)[d];
                }
            }
            double pos = cos(user, v.get(h.getValue()));
            for (String other : v.keySet()) {
                if (community(other) == community(h.getValue())) {
                    continue;
                }
                pairs++;
                double s = cos(user, v.get(other));
                correct += pos > s ? 1 : pos == s ? 0.5 : 0;
            }
        }
        assertThat(correct / pairs).as("held-out AUC").isGreaterThan(0.9);
    }

    @ParameterizedTest
    @EnumSource(TrainConfig.Model.class)
    void coldStartItemsGetVectorsFromTheirAttributesAlone(TrainConfig.Model model)
            throws Exception {
        Map<String, String> heldOut = new HashMap<>();
        List<Event> events = planted(heldOut);
        // Each community's items share a genre; two new items per community have the genre and no
        // interaction.
        Map<String, List<String>> attrs = new HashMap<>();
        for (int c = 0; c < COMMUNITIES; c++) {
            for (int k = 0; k < ITEMS_PER + 2; k++) {
                attrs.put(item(c, k), List.of("genre:g" + c));
            }
        }
        TrainConfig cfg = small(model);
        cfg.coldStartDropout = 0.3;
        Map<String, float[]> v = train(cfg, events, attrs).vectors();
        for (int c = 0; c < COMMUNITIES; c++) {
            String cold = item(c, ITEMS_PER + 1);
            assertThat(v).containsKey(cold);
            double own = 0, other = 0;
            for (int k = 0; k < ITEMS_PER; k++) {
                for (int c2 = 0; c2 < COMMUNITIES; c2++) {
                    double s = cos(v.get(cold), v.get(item(c2, k)));
                    if (c2 == c) {
                        own += s / ITEMS_PER;
                    } else {
                        other += s / (ITEMS_PER * (COMMUNITIES - 1));
                    }
                }
            }
            assertThat(own)
                    .as("cold item of community %d: mean cosine to its community vs the others", c)
                    .isGreaterThan(other + 0.3);
        }
    }

    @ParameterizedTest
    @EnumSource(TrainConfig.Model.class)
    void aFixedSeedGivesTheSameFileWhateverTheThreadCount(
            TrainConfig.Model model, @TempDir Path dir) throws Exception {
        List<Event> events = planted(new HashMap<>());
        TrainConfig one = small(model);
        one.epochs = 2;
        one.threads = 1;
        TrainConfig three = small(model);
        three.epochs = 2;
        three.threads = 3;
        TrainConfig otherSeed = small(model);
        otherSeed.epochs = 2;
        otherSeed.seed = 43;
        Path a = dir.resolve("a.jsonl"), b = dir.resolve("b.jsonl"), c = dir.resolve("c.jsonl");
        for (Object[] run : new Object[][] {{one, a}, {three, b}, {otherSeed, c}}) {
            Map<String, float[]> v = train((TrainConfig) run[0], events, Map.of()).vectors();
            VectorsFile.write(
                    (Path) run[1],
                    VectorsFile.contentVersion(v),
                    v,
                    Map.of("seed", ((TrainConfig) run[0]).seed));
        }
        assertThat(Files.readAllBytes(b))
                .as("1 thread and 3 threads")
                .isEqualTo(Files.readAllBytes(a));
        assertThat(VectorsFile.read(a).model()).isNotEqualTo(VectorsFile.read(c).model());
    }

    /**
     * With patience, training stops once that many epochs in a row did not beat the best validation
     * HR@10, and keeps the best epoch's vectors: the same vectors as a run that simply ends at that
     * epoch.
     */
    @ParameterizedTest
    @EnumSource(TrainConfig.Model.class)
    void earlyStoppingKeepsTheBestEpochsVectors(TrainConfig.Model model) throws Exception {
        List<Event> events = planted(new HashMap<>());
        TrainConfig cfg = small(model);
        cfg.epochs = 12;
        cfg.patience = 2;
        Trainer.Result stopped = train(cfg, events, Map.of());
        List<Trainer.Epoch> curve = stopped.curve();
        Trainer.Epoch best = curve.get(0);
        for (Trainer.Epoch e : curve) {
            if (e.validationHr10() > best.validationHr10()
                    || (e.validationHr10() == best.validationHr10()
                            && e.validationAuc() > best.validationAuc())) {
                best = e;
            }
        }
        assertThat(stopped.kept()).as("kept epoch, curve %s", curve).isEqualTo(best);
        if (curve.size() < cfg.epochs) {
            assertThat(curve.size() - best.epoch()).as("epochs after the best").isEqualTo(2);
        }
        TrainConfig upToBest = small(model);
        upToBest.epochs = best.epoch();
        Map<String, float[]> again = train(upToBest, events, Map.of()).vectors();
        assertThat(again.keySet()).isEqualTo(stopped.vectors().keySet());
        again.forEach((item, v) -> assertThat(v).as(item).isEqualTo(stopped.vectors().get(item)));
    }
}
