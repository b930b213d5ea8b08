package io.walkstream.train;

import io.walkstream.model.NodeIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains a {@link SageModel} with BPR on item pairs (PinSage-style): the positive of a pair is an
 * item a user interacted with, the query one of that user's items just before it, the negatives
 * items drawn from a per-batch pool. Scores are scale · cosine, as the job compares vectors.
 *
 * <p>Reproducible with any number of threads: every random choice comes from a generator seeded by
 * (seed, epoch, batch, position); the batch's encodings are split into a fixed number of chunks,
 * each with its own gradient buffer, and the buffers are summed in chunk order. Threads only decide
 * which chunk runs when, never what is added to what.
 */
public final class Trainer {
    /** Fixed, independent of the thread count, so the summation order is too. */
    static final int CHUNKS = 16;

    /** One epoch's figures. */
    public record Epoch(
            int epoch, double loss, double validationHr10, double validationAuc, long millis) {}

    /** What a run produced: the model's vectors by item id, the curve, and the data it saw. */
    public record Result(
            Map<String, float[]> vectors,
            List<Epoch> curve,
            Map<String, Object> data,
            Epoch kept) {}

    private final TrainConfig cfg;
    private final TrainingGraph graph;
    private final SageModel model;
    private final HoldOut validation;
    private final Consumer<String> progress;

    /**
     * @param validation held-out (user, item) pairs scored after each epoch; may be empty
     * @param progress receives progress lines (an epoch's figures; within an epoch, batches done)
     */
    public Trainer(
            TrainConfig cfg, TrainingGraph graph, HoldOut validation, Consumer<String> progress) {
        this.cfg = cfg;
        this.graph = graph;
        this.model = new SageModel(cfg, graph);
        this.validation = validation;
        this.progress = progress;
    }

    SageModel model() {
        return model;
    }

    /**
     * Trains the model {@code cfg.model} names: {@link LightGcnTrainer} (the default) or this
     * class's GraphSAGE model.
     */
    public static Result run(
            TrainConfig cfg, TrainingGraph graph, HoldOut validation, Consumer<String> progress)
            throws Exception {
        if (cfg.model == TrainConfig.Model.SAGE) {
            return new Trainer(cfg, graph, validation, progress).train();
        }
        ForkJoinPool threads = new ForkJoinPool(cfg.threads);
        try {
            return threads.submit(
                            () -> new LightGcnTrainer(cfg, graph, validation, progress).train())
                    .get();
        } finally {
            threads.shutdownNow();
        }
    }

    public Result train() throws Exception {
        List<Param> params = model.params();
        Optimizer opt = Optimizer.of(cfg.optimizer, params, cfg.learningRate);
        Grads total = new Grads(params);
        Grads[] chunkGrads = new Grads[CHUNKS];
        for (int c = 0; c < CHUNKS; c++) {
            chunkGrads[c] = new Grads(params);
        }
        double[] popularity = popularityCumulative(graph, cfg.negativeSampling);
        ExecutorService pool = trainingThreads();
        try {
            return EpochLoop.run(
                    cfg,
                    graph,
                    validation,
                    progress,
                    (batch, seed) ->
                            step(batch, seed, popularity, pool, chunkGrads, total, opt, params),
                    model::inferAll);
        } finally {
            pool.shutdownNow();
        }
    }

    private ExecutorService trainingThreads() {
        return Executors.newFixedThreadPool(
                cfg.threads,
                r -> {
                    Thread t = new Thread(r, "walkstream-train");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * One mini-batch: sample, encode, score, backpropagate, reduce, clip, update. Returns the mean
     * BPR loss.
     */
    private double step(
            long[] batch,
            long batchSeed,
            double[] popularity,
            ExecutorService pool,
            Grads[] chunkGrads,
            Grads total,
            Optimizer opt,
            List<Param> params)
            throws Exception {
        Pairs b = sample(batch, new SplittableRandom(batchSeed), popularity);
        SageModel.Encoding[] enc = encode(b, batchSeed, pool);
        double loss = scoreAndLoss(b, enc);
        runChunks(
                pool,
                enc.length,
                (from, to, chunk) -> {
                    chunkGrads[chunk].clear();
                    for (int e = from; e < to; e++) {
                        model.backward(enc[e], chunkGrads[chunk]);
                    }
                });
        total.clear();
        for (Grads g : chunkGrads) {
            total.addAll(g);
        }
        total.addL2(cfg.l2);
        total.clip(cfg.clipNorm);
        opt.step(params, total);
        return loss / batch.length;
    }

    /**
     * A mini-batch's training pairs: per (user, position) a query item from the user's window
     * before it, the positive at it, and negatives as indices into a shared pool drawn by
     * popularity.
     */
    private record Pairs(
            int[] users, int[] queries, int[] positives, int[][] negatives, int[] poolItems) {
        int size() {
            return users.length;
        }
    }

    private Pairs sample(long[] batch, SplittableRandom rnd, double[] popularity) {
        int n = batch.length;
        int[] poolItems = new int[cfg.negativePool];
        for (int j = 0; j < poolItems.length; j++) {
            poolItems[j] = drawNegative(rnd, popularity);
        }
        int[] users = new int[n], queries = new int[n], positives = new int[n];
        int[][] negatives = new int[n][cfg.negatives];
        for (int p = 0; p < n; p++) {
            int u = (int) (batch[p] >>> 32), t = (int) batch[p];
            int[] seq = graph.sequences[u];
            users[p] = u;
            positives[p] = seq[t];
            queries[p] = seq[t - 1 - rnd.nextInt(Math.min(cfg.window, t))];
            for (int j = 0; j < cfg.negatives; j++) {
                int k = rnd.nextInt(poolItems.length);
                for (int tries = 0;
                        tries < 8 && (poolItems[k] == positives[p] || poolItems[k] == queries[p]);
                        tries++) {
                    k = rnd.nextInt(poolItems.length);
                }
                negatives[p][j] = k;
            }
        }
        return new Pairs(users, queries, positives, negatives, poolItems);
    }

    /**
     * Encodings: [queries | positives | pool]; each samples its tree from its own seeded generator.
     */
    private SageModel.Encoding[] encode(Pairs b, long batchSeed, ExecutorService pool)
            throws Exception {
        int n = b.size(), pool0 = 2 * n;
        int count = pool0 + b.poolItems().length;
        SageModel.Encoding[] enc = new SageModel.Encoding[count];
        runChunks(
                pool,
                count,
                (from, to, chunk) -> {
                    for (int e = from; e < to; e++) {
                        SplittableRandom r = new SplittableRandom(mix(batchSeed, e + 1));
                        boolean cold = r.nextDouble() < cfg.coldStartDropout;
                        int item, exclude;
                        if (e < n) {
                            item = b.queries()[e];
                            exclude = b.users()[e];
                            cold = false; // the query stands for the user's history, which is
                            // never cold
                        } else if (e < pool0) {
                            item = b.positives()[e - n];
                            exclude = b.users()[e - n];
                        } else {
                            item = b.poolItems()[e - pool0];
                            exclude = -1;
                        }
                        cold &= graph.itemAttrs[item].length > 0;
                        enc[e] = model.sample(item, cold, exclude, r);
                        model.forward(enc[e]);
                        enc[e].dOut = new float[cfg.outDim];
                    }
                });
        return enc;
    }

    /**
     * Scores and the summed BPR loss, with each output's gradient; in pair order (serial: cheap,
     * and it fixes the order of additions).
     */
    private double scoreAndLoss(Pairs b, SageModel.Encoding[] enc) {
        int n = b.size(), pool0 = 2 * n;
        double loss = 0, scale = cfg.scoreScale;
        double[] dPos = new double[1],
                neg = new double[cfg.negatives],
                dNeg = new double[cfg.negatives];
        float inv = 1f / n;
        for (int p = 0; p < n; p++) {
            SageModel.Encoding q = enc[p], pos = enc[n + p];
            int[] negatives = b.negatives()[p];
            double sPos = scale * dot(q.out, pos.out);
            for (int j = 0; j < cfg.negatives; j++) {
                neg[j] = scale * dot(q.out, enc[pool0 + negatives[j]].out);
            }
            loss += BprLoss.loss(sPos, neg, dPos, dNeg);
            addScaled(q.dOut, pos.out, (float) (dPos[0] * scale) * inv);
            addScaled(pos.dOut, q.out, (float) (dPos[0] * scale) * inv);
            for (int j = 0; j < cfg.negatives; j++) {
                SageModel.Encoding ng = enc[pool0 + negatives[j]];
                addScaled(q.dOut, ng.out, (float) (dNeg[j] * scale) * inv);
                addScaled(ng.dOut, q.out, (float) (dNeg[j] * scale) * inv);
            }
        }
        return loss;
    }

    interface ChunkTask {
        void run(int from, int to, int chunk) throws Exception;
    }

    /** Splits [0, count) into {@link #CHUNKS} contiguous chunks and runs them on the pool. */
    private static void runChunks(ExecutorService pool, int count, ChunkTask task)
            throws Exception {
        List<Future<?>> fs = new ArrayList<>(CHUNKS);
        for (int c = 0; c < CHUNKS; c++) {
            int from = (int) ((long) count * c / CHUNKS),
                    to = (int) ((long) count * (c + 1) / CHUNKS),
                    chunk = c;
            fs.add(
                    pool.submit(
                            () -> {
                                task.run(from, to, chunk);
                                return null;
                            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
    }

    /** Every (user, position ≥ 1) of the users' sequences, packed as user << 32 | position. */
    static long[] pairs(TrainingGraph graph) {
        int total = 0;
        for (int[] s : graph.sequences) {
            total += Math.max(0, s.length - 1);
        }
        long[] out = new long[total];
        int k = 0;
        for (int u = 0; u < graph.sequences.length; u++) {
            for (int t = 1; t < graph.sequences[u].length; t++) {
                out[k++] = ((long) u << 32) | t;
            }
        }
        return out;
    }

    /**
     * Cumulative degree^0.75 over items with interactions (popularity-aware negatives); null for
     * uniform.
     */
    static double[] popularityCumulative(
            TrainingGraph graph, TrainConfig.NegativeSampling sampling) {
        double[] cum = new double[graph.itemCount()];
        double s = 0;
        for (int i = 0; i < cum.length; i++) {
            double w =
                    graph.degree[i] == 0
                            ? 0
                            : sampling == TrainConfig.NegativeSampling.POPULARITY
                                    ? Math.pow(graph.degree[i], 0.75)
                                    : 1;
            cum[i] = s += w;
        }
        return cum;
    }

    static int drawNegative(SplittableRandom rnd, double[] cum) {
        double x = rnd.nextDouble() * cum[cum.length - 1];
        int k = Arrays.binarySearch(cum, x);
        k = k >= 0 ? k + 1 : -k - 1;
        while (k < cum.length - 1 && (k > 0 ? cum[k] - cum[k - 1] : cum[k]) == 0) {
            k++; // skip items without interactions
        }
        return Math.min(k, cum.length - 1);
    }

    static void shuffle(long[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static void addScaled(float[] dst, float[] src, float f) {
        for (int i = 0; i < src.length; i++) {
            dst[i] += f * src[i];
        }
    }

    static long mix(long a, long b) {
        return NodeIds.mix(a * 0x9E3779B97F4A7C15L + b);
    }
}
