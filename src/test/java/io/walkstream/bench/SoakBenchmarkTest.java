package io.walkstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak scenario: a one-minute run on a tiny shop writes the series and the verdict (their
 * values depend on the machine and are not asserted); the verdict's arithmetic on made-up samples.
 */
class SoakBenchmarkTest {
    private static final String[] SAMPLE_FIELDS = {
        "seconds",
        "eventsApplied",
        "eventsPerSecond",
        "eventsBehind",
        "requestsSent",
        "answered",
        "answeredPerSecond",
        "p50Ms",
        "p99Ms",
        "maxMs",
        "partial",
        "timedOut",
        "stateBytes",
        "checkpointedBytes",
        "checkpointsCompleted",
        "checkpointMs",
        "checkpointsFailed",
        "heapAfterGcBytes",
        "oldCollections",
        "heapFloorBytes",
        "gcMs",
        "liveHeapBytes",
        "coresBusy",
        "edgesStored",
        "restarts"
    };
    private static final String[] VERDICT_FIELDS = {
        "middleThirdStateMiB",
        "lastThirdStateMiB",
        "stateGrowthPctPerHour",
        "middleThirdBytesPerRecentEvent",
        "lastThirdBytesPerRecentEvent",
        "perRecentEventGrowthPctPerHour",
        "stateGrowthLimitPctPerHour",
        "stateBounded",
        "heapSlopeMiBPerHour",
        "heapSlopeLimitMiBPerHour",
        "oldCollectionsLastHalf",
        "oldCollectionPhasesLastHalf",
        "liveHeapSlopeMiBPerHour",
        "liveHeapReadingsLastHalf",
        "liveHeapFirstMiB",
        "liveHeapLastMiB",
        "heapJudgedOn",
        "heapFlat",
        "requestsSent",
        "requestsAnswered",
        "unanswered",
        "allAnswered",
        "restarts",
        "jobStatusAtEnd",
        "noRestarts",
        "pass",
        "reasons"
    };

    @Test
    void oneMinuteSoakReportsSeriesAndVerdict(@TempDir Path out) throws Exception {
        BenchCli.succeeds(
                "bench",
                "--scenario",
                "soak",
                "--soak-minutes",
                "1",
                "--soak-sample-seconds",
                "5",
                "--users",
                "2000",
                "--items",
                "300",
                "--ingest-rate",
                "2000",
                "--soak-request-rate",
                "5",
                "--walkers",
                "200",
                "--checkpoint-ms",
                "2000",
                "--soak-full-gc-seconds",
                "10",
                "--out",
                out.toString());
        for (String f : new String[] {"bench.md", "bench.json", "soak.png"}) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }

        JsonNode soak = new ObjectMapper().readTree(out.resolve("bench.json").toFile()).get("soak");
        assertThat(soak.get("minutes").asDouble()).isEqualTo(1.0);
        assertThat(soak.get("stateTtlMs").asLong())
                .isEqualTo(10_000); // a sixth of the run: nodes expire within it
        assertThat(soak.get("backend").asText()).isEqualTo("HASHMAP");
        JsonNode samples = soak.get("samples");
        assertThat(samples.size())
                .isBetween(6, 12); // every 5 s for a minute, fewer only if the job stopped early
        for (JsonNode x : samples) {
            for (String f : SAMPLE_FIELDS) {
                assertThat(x.has(f)).as("sample field %s", f).isTrue();
            }
        }
        // A full collection every 10 s: the live set is read at about every second sample.
        int live = 0;
        for (JsonNode x : samples) {
            if (x.get("liveHeapBytes").asLong() > 0) {
                live++;
            }
        }
        assertThat(live).isBetween(samples.size() / 2 - 1, samples.size() / 2 + 1);
        JsonNode verdict = soak.get("verdict");
        for (String f : VERDICT_FIELDS) {
            assertThat(verdict.has(f)).as("verdict field %s", f).isTrue();
        }
        assertThat(verdict.get("pass").isBoolean()).isTrue();
        for (String f :
                new String[] {
                    "requestsSent", "requestsAnswered", "timedOut", "p99Ms", "checkpointsCompleted"
                }) {
            assertThat(soak.get("totals").has(f)).as("total %s", f).isTrue();
        }
        assertThat(Files.readString(out.resolve("bench.md")))
                .contains(
                        "## Soak",
                        "**Verdict: ",
                        "| soak, 1 min: verdict |",
                        "| t (s) | events/s |");
    }

    @Test
    void verdictFromTheSamples() {
        // An hour sampled every minute: state level at 100 MiB, heap flat, a phase of two old
        // collections every 5 minutes.
        List<SoakBenchmark.Sample> flat = samples(60, 60, i -> 100L << 20, i -> 500L << 20);
        SoakBenchmark.Verdict ok =
                SoakBenchmark.verdict(flat, 3600, 0, 1000, 1000, 0, "RUNNING", 25, 128);
        assertThat(ok.stateGrowthPctPerHour()).isEqualTo(0.0);
        assertThat(ok.heapSlopeMiBPerHour()).isEqualTo(0.0);
        assertThat(ok.oldCollectionsLastHalf()).isEqualTo(12);
        assertThat(ok.oldCollectionPhasesLastHalf()).isEqualTo(6);
        assertThat(ok.pass()).isTrue();
        assertThat(ok.reasons()).isEmpty();

        // State +1 MiB a minute (middle third mean 30.5 MiB, last third 50.5 MiB: +65.6% in 20
        // minutes = 196.7%/h); heap +5 MiB a minute (300 MiB/h); 3 requests unanswered; one
        // restart.
        List<SoakBenchmark.Sample> growing =
                samples(60, 60, i -> (long) (i + 1) << 20, i -> (400L + 5L * (i + 1)) << 20);
        SoakBenchmark.Verdict bad =
                SoakBenchmark.verdict(growing, 3600, 0, 1000, 997, 1, "RUNNING", 25, 128);
        assertThat(bad.middleThirdStateMiB()).isEqualTo(30.5);
        assertThat(bad.lastThirdStateMiB()).isEqualTo(50.5);
        assertThat(bad.stateGrowthPctPerHour()).isCloseTo(196.72, Offset.offset(0.01));
        assertThat(bad.stateBounded()).isFalse();
        assertThat(bad.heapSlopeMiBPerHour()).isCloseTo(300.0, Offset.offset(0.01));
        assertThat(bad.heapFlat()).isFalse();
        assertThat(bad.unanswered()).isEqualTo(3);
        assertThat(bad.allAnswered()).isFalse();
        assertThat(bad.noRestarts()).isFalse();
        assertThat(bad.pass()).isFalse();
        assertThat(bad.reasons()).hasSize(4);

        // A heap figure no old-generation collection refreshed is stale: not judged flat. Nor is
        // one refreshed by a single phase, however many collections it held.
        List<SoakBenchmark.Sample> stale = samples(60, 60, i -> 100L << 20, i -> 500L << 20);
        stale.forEach(x -> x.oldCollections = 0);
        assertThat(SoakBenchmark.verdict(stale, 3600, 0, 10, 10, 0, "RUNNING", 25, 128).heapFlat())
                .isFalse();
        stale.stream().filter(x -> x.seconds == 2400).forEach(x -> x.oldCollections = 30);
        SoakBenchmark.Verdict onePhase =
                SoakBenchmark.verdict(stale, 3600, 0, 10, 10, 0, "RUNNING", 25, 128);
        assertThat(onePhase.oldCollectionPhasesLastHalf()).isEqualTo(1);
        assertThat(onePhase.heapFlat()).isFalse();
    }

    @Test
    void theLiveSetAfterFullCollectionsDecidesTheHeapWhenThereAreEnoughReadings() {
        // G1's own figure rises 300 MiB/h (garbage it has not reached yet), the live set is flat:
        // flat.
        List<SoakBenchmark.Sample> xs =
                samples(60, 60, i -> 100L << 20, i -> (400L + 5L * (i + 1)) << 20);
        xs.forEach(x -> x.oldCollections = 0);
        for (int i = 4; i < 60; i += 5) {
            xs.get(i).liveHeapBytes = 280L << 20;
        }
        SoakBenchmark.Verdict v = SoakBenchmark.verdict(xs, 3600, 0, 10, 10, 0, "RUNNING", 25, 128);
        assertThat(v.liveHeapReadingsLastHalf()).isEqualTo(6);
        assertThat(v.liveHeapSlopeMiBPerHour()).isEqualTo(0.0);
        assertThat(v.heapSlopeMiBPerHour()).isCloseTo(300.0, Offset.offset(0.01));
        assertThat(v.heapJudgedOn()).isEqualTo("live set after full collections");
        assertThat(v.heapFlat()).isTrue();
        assertThat(v.pass()).isTrue();

        // The live set grows 4 MiB a minute (240 MiB/h): not flat, whatever G1's figure does.
        for (int i = 4; i < 60; i += 5) {
            xs.get(i).liveHeapBytes = (280L + 4L * i) << 20;
        }
        SoakBenchmark.Verdict growing =
                SoakBenchmark.verdict(xs, 3600, 0, 10, 10, 0, "RUNNING", 25, 128);
        assertThat(growing.liveHeapSlopeMiBPerHour()).isCloseTo(240.0, Offset.offset(0.01));
        assertThat(growing.heapFlat()).isFalse();
        assertThat(growing.reasons())
                .containsExactly(
                        "heap: live set after full collections rose 240 MiB/h over the last half (limit 128 MiB/h)");

        // Two readings in the last half are too few: G1's figure decides (and finds no collection
        // phases).
        xs.forEach(x -> x.liveHeapBytes = -1);
        xs.get(39).liveHeapBytes = 280L << 20;
        xs.get(59).liveHeapBytes = 280L << 20;
        SoakBenchmark.Verdict few =
                SoakBenchmark.verdict(xs, 3600, 0, 10, 10, 0, "RUNNING", 25, 128);
        assertThat(few.heapJudgedOn()).isEqualTo("old generation after G1's collections");
        assertThat(few.heapFlat()).isFalse();
    }

    @Test
    void collectionsWithoutAGapRefreshTheHeapFigureOncePerMinute() {
        // A heap short of room: G1's cycles follow each other, every 10 s interval of the last half
        // holds old collections. That is one unbroken run, but 30 minutes of fresh figures, not one
        // measurement.
        List<SoakBenchmark.Sample> busy = samples(360, 10, i -> 100L << 20, i -> 500L << 20);
        busy.forEach(x -> x.oldCollections = 2);
        SoakBenchmark.Verdict v =
                SoakBenchmark.verdict(busy, 3600, 0, 10, 10, 0, "RUNNING", 25, 128);
        assertThat(v.oldCollectionPhasesLastHalf()).isEqualTo(30);
        assertThat(v.heapFlat()).isTrue();
        assertThat(v.reasons()).isEmpty();
    }

    @Test
    void stateIsJudgedPerEventOfTheLastTtlSoTheIngestRateDoesNotDecide() {
        // An hour, a sample a minute, TTL 5 minutes. The ingest rate follows the machine's load:
        // 1,000 events/s for the first 40 minutes, 2,000 after. State is 100 bytes per event of the
        // last 5 minutes: it doubles with the rate, yet nothing leaks.
        List<SoakBenchmark.Sample> loadBound = samples(60, 60, i -> 0, i -> 500L << 20);
        long events = 0;
        for (SoakBenchmark.Sample x : loadBound) {
            events += (x.seconds <= 2400 ? 1000 : 2000) * 60L;
            x.eventsApplied = events;
        }
        for (SoakBenchmark.Sample x : loadBound) {
            long recent = x.eventsApplied - eventsAt(loadBound, x.seconds - 300);
            x.stateBytes = 100 * recent;
        }
        SoakBenchmark.Verdict v =
                SoakBenchmark.verdict(loadBound, 3600, 300, 10, 10, 0, "RUNNING", 25, 128);
        assertThat(v.stateGrowthPctPerHour()).as("the state itself").isGreaterThan(100);
        assertThat(v.middleThirdBytesPerRecentEvent()).isEqualTo(100.0);
        assertThat(v.lastThirdBytesPerRecentEvent()).isEqualTo(100.0);
        assertThat(v.perRecentEventGrowthPctPerHour()).isEqualTo(0.0);
        assertThat(v.stateBounded()).isTrue();

        // A leak at a steady rate: 1,000 events/s, yet the state grows 1 MiB a minute.
        List<SoakBenchmark.Sample> leak = samples(60, 60, i -> (50L + i) << 20, i -> 500L << 20);
        for (int i = 0; i < leak.size(); i++) {
            leak.get(i).eventsApplied = 60_000L * (i + 1);
        }
        SoakBenchmark.Verdict bad =
                SoakBenchmark.verdict(leak, 3600, 300, 10, 10, 0, "RUNNING", 25, 128);
        assertThat(bad.perRecentEventGrowthPctPerHour()).isGreaterThan(25);
        assertThat(bad.stateBounded()).isFalse();
        assertThat(bad.reasons())
                .anyMatch(r -> r.startsWith("state per event of the last TTL: grew"));
    }

    private static long eventsAt(List<SoakBenchmark.Sample> samples, double seconds) {
        long e = 0;
        for (SoakBenchmark.Sample x : samples) {
            if (x.seconds <= seconds + 1e-9) {
                e = x.eventsApplied;
            }
        }
        return e;
    }

    private static List<SoakBenchmark.Sample> samples(
            int n, double every, IntToLongFunction state, IntToLongFunction heap) {
        List<SoakBenchmark.Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SoakBenchmark.Sample x = new SoakBenchmark.Sample();
            x.seconds = (i + 1) * every;
            x.stateBytes = state.applyAsLong(i);
            x.heapAfterGcBytes = heap.applyAsLong(i);
            x.oldCollections = i % 5 == 0 ? 2 : 0;
            out.add(x);
        }
        return out;
    }
}
