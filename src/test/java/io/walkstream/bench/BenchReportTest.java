package io.walkstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report with figures that were not measured: an ingest so quick that no progress sample fell
 * between 10 % and 90 % of it has no steady rate (NaN). The report says so (null, "not sampled")
 * instead of failing — CI once lost a whole bench run to a null inside {@code Map.of}.
 */
class BenchReportTest {
    @Test
    void aFreshnessPercentilePastTheLastProbeRequestReadsAsLater() {
        assertThat(BenchReport.censored(37.4)).isEqualTo("37");
        assertThat(BenchReport.censored(405)).as("seen, at the last request").isEqualTo("405");
        assertThat(BenchReport.censored(Double.POSITIVE_INFINITY)).isEqualTo("> 400");
        assertThat(BenchReport.censored(Double.NaN)).isEqualTo("–");
    }

    @Test
    void anUnsampledSteadyRateIsReportedAsMissing(@TempDir Path out) throws Exception {
        Series series = new Series();
        series.add(0.5, 0);
        series.add(1.0, 30_000); // one jump from 0 to everything: no steady part to measure
        double steady = series.rateBetween(0.1, 0.9, 30_000);
        assertThat(steady).isNaN();

        BenchReport report = new BenchReport(Map.of("scenario", "ingest"), 2);
        report.add(
                new ReferenceBenchmark.Result(
                        new ReferenceBenchmark.Ingest(30_000, 0.1, 300_000, 3.0),
                        List.of(),
                        30_000,
                        100,
                        30_000,
                        100,
                        0));
        report.add(
                "heap",
                new IngestBenchmark.Result(
                        "generator (in-process)", "", 30_000, 1.0, 30_000, steady, 20.0, series),
                800_000.0);
        report.write(out);

        JsonNode ingest =
                new ObjectMapper().readTree(out.resolve("bench.json").toFile()).get("ingest-heap");
        assertThat(ingest.get("eventsPerSecond").asLong()).isEqualTo(30_000);
        assertThat(ingest.get("steadyEventsPerSecond").isNull()).isTrue();
        assertThat(ingest.at("/vsReference/eventsPerSecond").asDouble()).isEqualTo(0.1);
        assertThat(ingest.at("/vsReference/steadyEventsPerSecond").isNull()).isTrue();
        assertThat(Files.readString(out.resolve("bench.md"))).contains("steady not sampled");
    }
}
