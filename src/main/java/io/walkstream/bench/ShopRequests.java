package io.walkstream.bench;

import io.walkstream.gen.ShopGenerator;
import io.walkstream.model.Request;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The benchmark's requests: the demo's mix (mostly a recent shopper's home feed, some "more like
 * this" for a popular item), drawn from a shop generator with the event stream's shape, which it
 * runs ahead a few interactions per request so the users asked about keep changing. Users are
 * picked by the same power law as the event stream's, so they mostly have a history.
 */
public final class ShopRequests implements GeneratorFunction<Long, Request> {
    private final ShopGenerator.Params params;
    private final long seed;
    private final int k;
    private final int walkers;

    private transient ShopGenerator gen;
    private transient int subtask;

    /**
     * @param walkers walkers per request; 0 keeps the configured default
     */
    public ShopRequests(ShopGenerator.Params params, long seed, int k, int walkers) {
        this.params = params;
        this.seed = seed;
        this.k = k;
        this.walkers = walkers;
    }

    @Override
    public void open(SourceReaderContext ctx) {
        subtask = ctx.getIndexOfSubtask();
    }

    @Override
    public Request map(Long index) {
        long now = System.currentTimeMillis();
        if (gen == null) {
            gen = new ShopGenerator(params, seed * 0x632BE59BD9B4E019L + index);
            gen.takeNewItems(now);
        }
        for (int i = 0; i < 4; i++) {
            gen.nextInteraction(now);
        }
        gen.takeNewItems(now);
        Request r = gen.nextRequest(now, k);
        r.requestId = "r" + subtask + "-" + index;
        r.channel = null; // the configured default walk, whatever strategies a config ships
        if (walkers > 0) {
            r.walkers = walkers;
        }
        BenchLocal.requestsEmitted.increment();
        return r;
    }
}
