package io.walkstream.bench;

import io.walkstream.config.JobConfig;
import io.walkstream.gen.ShopGenerator;

/**
 * What a benchmark run does: sizes, rates and durations; {@link #quick} shrinks them to minutes.
 */
public final class BenchSettings {
    public JobConfig config;
    public ShopGenerator.Params shop =
            new ShopGenerator.Params(1_000_000, 200_000, 200, 2_000, 1.05, 1.1, 1_000, 256);

    /** Interactions for the ingest and memory runs. */
    public long events = 10_000_000;

    /** Events loaded before requests start (requests and freshness runs). */
    public long preload = 2_000_000;

    /** Concurrent ingest while requests run, events/s. */
    public double ingestRate = 50_000;

    /** Request rates tried, requests/s, one step each. */
    public double[] requestRates = {100, 200, 300, 400, 500, 600, 750, 900, 1_100, 1_400};

    public long stepMs = 15_000;

    /** Walkers per request in the requests run. */
    public int walkers = 1_000;

    /** Freshness run: how long, and a probe every this many ms. */
    public long freshnessMs = 30_000;

    public long probeEveryMs = 500;

    /** Freshness: shop requests per second alongside the probes. */
    public double freshnessRequestRate = 50;

    /** The p99 a request rate must keep to count as sustained, ms. */
    public double p99TargetMs = 50;

    public long seed = 42;

    /**
     * Reference: seconds measured per thread count, after a warm-up; requests in its mix (cycled).
     */
    public long referenceMs = 10_000;

    public long referenceWarmupMs = 2_000;
    public int referenceRequests = 20_000;
    public long bufferTimeoutMs = 5;

    /**
     * Soak: how long, sampled how often; steady ingest (events/s) and requests (per second) for the
     * whole time.
     */
    public long soakMs = 30 * 60_000L;

    public long soakSampleMs = 10_000;

    /**
     * Soak: a full collection (System.gc()) at the sample this often, to read the heap's live set
     * (0: never; the heap verdict then falls back to the old generation after G1's own
     * collections).
     */
    public long soakFullGcMs = 150_000;

    public double soakIngestRate = 10_000;
    public double soakRequestRate = 20;

    /**
     * Soak verdict: the state is bounded when its mean over the last third of the run exceeds the
     * middle third's by less than this, per hour; the heap after GC is flat when its least-squares
     * slope over the last half is below this many MiB per hour.
     */
    public double soakMaxStateGrowthPctPerHour = 25;

    public double soakMaxHeapSlopeMiBPerHour = 128;
    public boolean kafka;
    public boolean quick;

    /**
     * The soak's shop: the quick shop's 100,000 users and 20,000 items at the start (one new item
     * every 1,000 events). Its active population is bounded: users are a fixed set, and of the
     * items that keep appearing only the recent (promoted) and the popular ones are touched, so
     * under a TTL of minutes the state levels off well inside a half-hour run.
     */
    public static ShopGenerator.Params soakShop() {
        return new ShopGenerator.Params(100_000, 20_000, 100, 500, 1.05, 1.1, 1_000, 128);
    }

    /**
     * The quick variant: a tenth of the shop, fewer and shorter steps (a run of all scenarios in a
     * few minutes).
     */
    public BenchSettings quick() {
        quick = true;
        shop = new ShopGenerator.Params(100_000, 20_000, 100, 500, 1.05, 1.1, 1_000, 128);
        events = 1_000_000;
        preload = 200_000;
        requestRates = new double[] {200, 500, 750, 1_000};
        stepMs = 6_000;
        freshnessMs = 8_000;
        referenceMs = 5_000;
        referenceWarmupMs = 1_000;
        return this;
    }
}
