package io.walkstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The local mini cluster's REST API, for what the job's client does not say: completed checkpoints
 * (full state size, size written, duration) and the job's restarts.
 */
final class FlinkRest {
    /** A completed checkpoint, as the REST API reports it; {@code triggerMs} is epoch ms. */
    record Checkpoint(
            long id, long stateBytes, long checkpointedBytes, long durationMs, long triggerMs) {}

    /**
     * The job's checkpoint counts, the checkpoints completed after {@code afterId} (oldest first)
     * and the latest.
     */
    record Checkpoints(
            long completed,
            long failed,
            long restored,
            List<Checkpoint> newlyCompleted,
            Checkpoint latest) {}

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    FlinkRest(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body());
    }

    /**
     * Checkpoint statistics. {@code state_size} is the full state a checkpoint holds (with
     * RocksDB's incremental checkpoints too); {@code checkpointed_size} what this checkpoint wrote.
     * The history holds the last few checkpoints only ({@code web.checkpoints.history}, 10), enough
     * at one sample per checkpoint interval or two.
     */
    Checkpoints checkpoints(String jobId, long afterId) throws IOException, InterruptedException {
        JsonNode root = get("/jobs/" + jobId + "/checkpoints");
        JsonNode counts = root.path("counts");
        List<Checkpoint> fresh = new ArrayList<>();
        for (JsonNode h : root.path("history")) {
            if ("COMPLETED".equals(h.path("status").asText()) && h.path("id").asLong() > afterId) {
                fresh.add(checkpoint(h));
            }
        }
        fresh.sort(Comparator.comparingLong(Checkpoint::id));
        JsonNode latest = root.path("latest").path("completed");
        return new Checkpoints(
                counts.path("completed").asLong(),
                counts.path("failed").asLong(),
                counts.path("restored").asLong(),
                fresh,
                latest.isObject() ? checkpoint(latest) : null);
    }

    /**
     * {@link #checkpoints}, or null when the REST API did not answer (a figure the report then
     * leaves out rather than failing the run).
     */
    Checkpoints checkpointsOrNull(String jobId, long afterId) {
        try {
            return checkpoints(jobId, afterId);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Checkpoint checkpoint(JsonNode c) {
        return new Checkpoint(
                c.path("id").asLong(),
                c.path("state_size").asLong(),
                c.path("checkpointed_size").asLong(),
                c.path("end_to_end_duration").asLong(),
                c.path("trigger_timestamp").asLong());
    }

    /** The JobManager's {@code numRestarts} metric for the job (0 before it is reported). */
    long restarts(String jobId) throws IOException, InterruptedException {
        JsonNode m = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        return m.isArray() && m.size() > 0 ? m.get(0).path("value").asLong() : 0;
    }
}
