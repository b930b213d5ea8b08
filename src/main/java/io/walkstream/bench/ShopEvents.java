package io.walkstream.bench;

import io.walkstream.gen.ShopGenerator;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The benchmark's event stream: the demo's synthetic shop ({@link ShopGenerator}), one generator
 * per source reader, seeded by the reader's first sequence number so a run is reproducible
 * whichever subtask gets which split. Reader 0 announces the initial catalogue's even items, reader
 * 1 the odd ones, and so on. With {@code probeEveryMs > 0}, reader 0 also emits freshness probes: a
 * click by a brand-new user {@code probe-<n>} on a popular item, its emission time recorded in
 * {@link BenchLocal#probeEmittedAt}.
 */
public final class ShopEvents implements GeneratorFunction<Long, Event> {
    private static final int HOT_ITEM_SAMPLE = 2_000;

    private final ShopGenerator.Params params;
    private final long seed;
    private final long probeEveryMs;
    private final boolean gated;

    private transient int subtask;
    private transient int readers;
    private transient ShopGenerator gen;
    private transient ArrayDeque<Event> pending;
    private transient Map<String, Integer> itemCounts;
    private transient String hotItem;
    private transient long nextProbeAt;
    private transient int probes;

    /**
     * @param gated hold every event until the driver sets {@link BenchLocal#eventsReleased} (the
     *     memory benchmark measures the running, empty job first)
     */
    public ShopEvents(ShopGenerator.Params params, long seed, long probeEveryMs, boolean gated) {
        this.params = params;
        this.seed = seed;
        this.probeEveryMs = probeEveryMs;
        this.gated = gated;
    }

    @Override
    public void open(SourceReaderContext ctx) {
        subtask = ctx.getIndexOfSubtask();
        readers = ctx.currentParallelism();
    }

    @Override
    public Event map(Long index) throws Exception {
        long now = System.currentTimeMillis();
        if (gen == null) {
            start(index, now);
        }
        while (gated && !BenchLocal.eventsReleased) {
            Thread.sleep(5);
        }
        BenchLocal.eventEmitted();
        if (probeEveryMs > 0 && subtask == 0 && hotItem != null && now >= nextProbeAt) {
            nextProbeAt = now + probeEveryMs;
            int n = probes++;
            BenchLocal.probeEmittedAt.put(n, now);
            return Event.interaction(ProbeRequests.user(n), hotItem, Action.CLICK, now);
        }
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        Event e = gen.nextInteraction(now);
        if (itemCounts != null) {
            countItem(e.item);
        }
        pending.addAll(gen.takeNewItems(now));
        return e;
    }

    private void start(long firstIndex, long now) {
        gen = new ShopGenerator(params, seed * 0x9E3779B97F4A7C15L + firstIndex);
        pending = new ArrayDeque<>();
        List<Event> catalogue = gen.takeNewItems(now);
        for (int i = subtask; i < catalogue.size(); i += readers) {
            pending.add(catalogue.get(i));
        }
        if (probeEveryMs > 0 && subtask == 0) {
            itemCounts = new HashMap<>();
        }
    }

    /** Picks the probes' item: the most clicked of the first interactions, so it has many users. */
    private void countItem(String item) {
        itemCounts.merge(item, 1, Integer::sum);
        if (itemCounts.values().stream().mapToInt(Integer::intValue).sum() >= HOT_ITEM_SAMPLE) {
            hotItem =
                    itemCounts.entrySet().stream()
                            .max(Map.Entry.comparingByValue())
                            .orElseThrow()
                            .getKey();
            itemCounts = null;
            nextProbeAt = System.currentTimeMillis() + probeEveryMs;
        }
    }
}
