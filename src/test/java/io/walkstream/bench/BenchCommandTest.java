package io.walkstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark command end to end on a tiny shop: every scenario runs the real job and reports
 * figures in range, with the in-process reference measured in the same run and the job's figures
 * given as ratios to it. Figures are not compared with targets here (speed lives in the benchmark's
 * own output, not in timed tests).
 */
class BenchCommandTest {
    @Test
    void allScenariosReportFigures(@TempDir Path out) throws Exception {
        BenchCli.succeeds(
                "bench",
                "--scenario",
                "all",
                "--quick",
                "--events",
                "30000",
                "--users",
                "2000",
                "--items",
                "300",
                "--preload",
                "20000",
                "--rates",
                "20,40",
                "--step-seconds",
                "3",
                "--ingest-rate",
                "2000",
                "--freshness-seconds",
                "5",
                "--walkers",
                "200",
                "--reference-seconds",
                "1",
                "--out",
                out.toString());
        for (String f : new String[] {"bench.md", "bench.json", "latency.png", "throughput.png"}) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
        assertThat(json.at("/machine/cores").asInt()).isPositive();
        JsonNode ingest = json.get("ingest-heap");
        assertThat(ingest.get("events").asLong()).isEqualTo(30_000);
        assertThat(ingest.get("eventsPerSecond").asDouble()).isPositive();
        // The Flink floors: every event through the smallest keyed job, at 2, 5 and 15 records per
        // interaction, each with its ratio to the reference.
        for (String floor : new String[] {"floor2", "floor5", "floor15"}) {
            JsonNode f = json.get("ingest-heap-" + floor);
            assertThat(f).as(floor).isNotNull();
            assertThat(f.get("events").asLong()).isEqualTo(30_000);
            assertThat(f.get("eventsPerSecond").asDouble()).isPositive();
            assertThat(f.at("/vsReference/eventsPerSecond").asDouble()).isPositive();
        }
        JsonNode steps = json.at("/requests/steps");
        assertThat(steps).hasSize(2);
        for (JsonNode step : steps) {
            // Every request of a step is answered (the tiny job is far from saturated).
            assertThat(step.get("answered").asLong()).isGreaterThan(0);
            assertThat(step.get("p50Ms").asDouble())
                    .isPositive()
                    .isLessThanOrEqualTo(step.get("p99Ms").asDouble());
        }
        JsonNode fresh = json.get("freshness");
        assertThat(fresh.get("probes").asInt()).isPositive();
        // Probe requests went through the job and were answered; how many saw their click within
        // 400 ms depends on the machine's load, so it is reported, not asserted.
        assertThat(fresh.get("probeAnswers").asLong()).isPositive();
        assertThat(fresh.get("seen").asInt()).isLessThanOrEqualTo(fresh.get("probes").asInt());
        if (fresh.get("seen").asInt() > 0 && !fresh.get("p99AllMs").isNull()) {
            // Over every probe, the unseen ones counted as later: never below the seen ones' p99.
            assertThat(fresh.get("p99AllMs").asDouble())
                    .isGreaterThanOrEqualTo(fresh.get("p99Ms").asDouble());
        }
        JsonNode memory = json.get("memory");
        assertThat(memory.get("edgesStored").asLong()).isPositive();
        // 30k events make a few MB of state: too little to assert a size over GC noise, but it is
        // measured.
        assertThat(memory.get("bytesPerEdge").isNumber()).isTrue();
        assertThat(memory.get("nodes").asLong()).isPositive();
        assertThat(Files.readString(out.resolve("bench.md")))
                .contains(
                        "| ingest, generator (in-process), heap |",
                        "| ingest, Flink floor (15 keyed counters per interaction), heap |");

        // The reference: ingest on 1 thread, requests on 1 and 2 threads, and every job figure as a
        // ratio to it.
        JsonNode ref = json.get("reference");
        assertThat(ref.at("/ingest/eventsPerSecond").asDouble()).isPositive();
        assertThat(ref.at("/ingest/events").asLong()).isEqualTo(30_000);
        assertThat(ref.get("requests")).hasSize(2);
        for (JsonNode r : ref.get("requests")) {
            assertThat(r.get("answered").asLong()).isPositive();
            assertThat(r.get("meanItems").asDouble()).isPositive(); // real answers, not empty walks
            assertThat(r.get("p50Ms").asDouble())
                    .isPositive()
                    .isLessThanOrEqualTo(r.get("p99Ms").asDouble());
        }
        assertThat(ingest.at("/vsReference/eventsPerSecond").asDouble()).isPositive();
        assertThat(ingest.at("/vsReference/referenceThreads").asInt()).isEqualTo(1);
        assertThat(json.at("/requests/vsReference/referenceThreads").asInt())
                .isEqualTo(2); // parallelism 2
        assertThat(json.at("/requests/vsReference/peakAnsweredPerSecond").asDouble()).isPositive();
        for (JsonNode step : steps) {
            assertThat(step.get("p99VsReference").asDouble()).isPositive();
        }
        assertThat(json.get("vsReference").size()).isGreaterThanOrEqualTo(5);
        assertThat(Files.readString(out.resolve("bench.md")))
                .contains(
                        "| reference: ingest, 1 thread |",
                        "| reference: requests, 2 threads |",
                        "× reference (1 thread)",
                        "× reference (2 threads)");
    }
}
