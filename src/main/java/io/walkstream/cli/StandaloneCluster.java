package io.walkstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Flink standalone session cluster from the project's classpath: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each its own
 * JVM, with memory flags computed by Flink's {@code BashJavaUtils} as {@code bin/flink} does, logs
 * in the work directory, and the REST API for status. TaskManagers can be killed with {@code kill
 * -9} and replaced.
 */
final class StandaloneCluster implements AutoCloseable {
    static final List<String> OPENS =
            List.of(
                    "java.base/java.util",
                    "java.base/java.lang",
                    "java.base/java.lang.reflect",
                    "java.base/java.lang.invoke",
                    "java.base/java.net",
                    "java.base/java.io",
                    "java.base/java.nio",
                    "java.base/sun.nio.ch",
                    "java.base/java.time",
                    "java.base/java.text",
                    "java.base/java.math",
                    "java.base/java.util.concurrent",
                    "java.base/java.util.concurrent.atomic");

    final Path dir;
    final String classpath;
    final int restPort;
    private final Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private StandaloneCluster(Path dir, String classpath, int restPort, Process jobManager) {
        this.dir = dir;
        this.classpath = classpath;
        this.restPort = restPort;
        this.jobManager = jobManager;
    }

    /**
     * Writes conf/config.yaml and log4j settings into {@code dir}, starts the JobManager and waits
     * for its REST API.
     */
    static StandaloneCluster start(Path dir, String classpath) throws Exception {
        int rpcPort = LocalFlink.freePort();
        int restPort = LocalFlink.freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: localhost",
                        "jobmanager.rpc.port: " + rpcPort,
                        "jobmanager.bind-host: localhost",
                        "rest.address: localhost",
                        "rest.bind-address: localhost",
                        "rest.port: " + restPort,
                        "taskmanager.host: localhost",
                        "taskmanager.bind-host: localhost",
                        "taskmanager.numberOfTaskSlots: 1",
                        "jobmanager.memory.process.size: 1024m",
                        "taskmanager.memory.process.size: 1280m",
                        // A TaskManager killed with -9 says nothing: the JobManager notices by
                        // missed heartbeats.
                        "heartbeat.interval: 1000",
                        "heartbeat.timeout: 5000",
                        "restart-strategy.type: fixed-delay",
                        "restart-strategy.fixed-delay.attempts: 20",
                        "restart-strategy.fixed-delay.delay: 1 s",
                        "execution.checkpointing.dir: " + dir.resolve("checkpoints").toUri(),
                        ""));
        Files.writeString(
                conf.resolve("log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = ${sys:log.file}",
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                        ""));
        Process jm =
                launch(
                        dir,
                        classpath,
                        "jobmanager",
                        "GET_JM_RESOURCE_PARAMS",
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        StandaloneCluster cluster = new StandaloneCluster(dir, classpath, restPort, jm);
        cluster.awaitRest(Duration.ofSeconds(60));
        return cluster;
    }

    /** Starts one more TaskManager JVM; returns its process. */
    Process startTaskManager() throws Exception {
        Process tm =
                launch(
                        dir,
                        classpath,
                        "taskmanager-" + (taskManagers.size() + 1),
                        "GET_TM_RESOURCE_PARAMS",
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        taskManagers.add(tm);
        return tm;
    }

    List<Long> taskManagerPids() {
        return taskManagers.stream().map(Process::pid).toList();
    }

    /** {@code kill -9 <pid>}: the process gets no chance to clean up. */
    static void kill9(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -9 " + p.pid() + " failed");
        }
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private static Process launch(
            Path dir, String classpath, String name, String resourceCommand, String mainClass)
            throws Exception {
        Path conf = dir.resolve("conf");
        List<String> params =
                resourceParams(classpath, conf, resourceCommand, dir.resolve(name + "-memory.log"));
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(Arrays.asList(params.get(0).trim().split("\\s+")));
        for (String open : OPENS) {
            cmd.add("--add-opens=" + open + "=ALL-UNNAMED");
        }
        cmd.add("-Dlog.file=" + dir.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(conf.toString());
        cmd.addAll(Arrays.asList(params.get(1).trim().split("\\s+")));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .start();
    }

    /**
     * The two result lines of {@code BashJavaUtils} (JVM flags, then dynamic -D settings), as
     * bin/flink computes them.
     */
    private static List<String> resourceParams(
            String classpath, Path conf, String command, Path log) throws Exception {
        Process p =
                new ProcessBuilder(
                                javaBinary(),
                                "-cp",
                                classpath,
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                command,
                                "--configDir",
                                conf.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Files.writeString(log, out);
        List<String> results =
                out.lines()
                        .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                        .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()))
                        .toList();
        if (p.exitValue() != 0 || results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " failed: see " + log);
        }
        return results.subList(results.size() - 2, results.size());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body());
    }

    private void awaitRest(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!jobManager.isAlive()) {
                throw new IllegalStateException(
                        "the JobManager exited: see " + dir.resolve("jobmanager.log"));
            }
            try {
                get("/overview");
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no JobManager REST API within " + timeout, e);
                }
                Thread.sleep(250);
            }
        }
    }

    /** Waits until the cluster has {@code n} registered TaskManagers. */
    void awaitTaskManagers(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get("/overview").path("taskmanagers").asInt() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "fewer than " + n + " TaskManagers within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    String jobStatus(String jobId) throws Exception {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** The job's checkpoint counts ({@code completed}, {@code restored}, …) from the REST API. */
    JsonNode checkpointCounts(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints").path("counts");
    }

    /** The id of the checkpoint the job last restored from, or -1. */
    long restoredCheckpoint(String jobId) throws Exception {
        JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        return restored.isMissingNode() || restored.isNull() ? -1 : restored.path("id").asLong(-1);
    }

    /** The JobManager's {@code numRestarts} metric for the job. */
    long restarts(String jobId) throws Exception {
        JsonNode m = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        return m.isArray() && m.size() > 0 ? m.get(0).path("value").asLong() : 0;
    }

    @Override
    public void close() {
        for (Process tm : taskManagers) {
            tm.destroyForcibly();
        }
        jobManager.destroyForcibly();
        for (Process tm : taskManagers) {
            waitQuietly(tm);
        }
        waitQuietly(jobManager);
    }

    private static void waitQuietly(Process p) {
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
