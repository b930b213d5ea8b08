package io.walkstream.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, one combined broker + controller) as its own JVM, started from this
 * JVM's classpath ({@code kafka_2.13}: {@code kafka.tools.StorageTool format}, then {@code
 * kafka.Kafka server.properties}). Its log directory and its two loopback ports are fixed when it
 * is created, so it can be killed and started again with its data and at the address clients
 * already know: a broker outage, as a real deployment has one.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private final Path dir;
    private final Path properties;
    private final int port;
    private volatile Process process;
    private int starts;

    private KafkaBrokerProcess(Path dir, Path properties, int port) {
        this.dir = dir;
        this.properties = properties;
        this.port = port;
    }

    /**
     * Formats a new log directory under {@code dir} and starts the broker; returns once it answers.
     */
    public static KafkaBrokerProcess start(Path dir) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        int controllerPort = freePort();
        Path logs = dir.resolve("kafka-logs");
        Path properties = dir.resolve("server.properties");
        Files.writeString(
                properties,
                String.join(
                                "\n",
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                                "listeners=PLAINTEXT://127.0.0.1:"
                                        + port
                                        + ",CONTROLLER://127.0.0.1:"
                                        + controllerPort,
                                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=PLAINTEXT",
                                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                                "log.dirs=" + logs,
                                "auto.create.topics.enable=false",
                                // One broker: internal topics cannot have more replicas; few
                                // partitions load faster after a restart.
                                "offsets.topic.replication.factor=1",
                                "offsets.topic.num.partitions=4",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "transaction.state.log.num.partitions=4",
                                "group.initial.rebalance.delay.ms=0",
                                // After a crash the controller refuses the broker's new incarnation
                                // until the old one's
                                // session expires (9 s by default: a restart took 12.6 s, 5.5 s
                                // with these two).
                                "broker.session.timeout.ms=3000",
                                "broker.heartbeat.interval.ms=500",
                                "")
                        + "\n");
        Files.writeString(
                dir.resolve("log4j2.properties"),
                String.join(
                                "\n",
                                "rootLogger.level = INFO",
                                "rootLogger.appenderRef.console.ref = console",
                                "appender.console.type = Console",
                                "appender.console.name = console",
                                "appender.console.layout.type = PatternLayout",
                                "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                                "logger.state.name = state.change.logger",
                                "logger.state.level = WARN",
                                "")
                        + "\n");
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, properties, port);
        // A test JVM that dies (a timeout, a killed build) must not leave a broker running behind
        // it.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    Process p = broker.process;
                                    if (p != null) {
                                        p.destroyForcibly();
                                    }
                                },
                                "kafka-broker-process-reaper"));
        Process format =
                broker.java(
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                properties.toString())
                        .redirectOutput(dir.resolve("format.out").toFile())
                        .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException(
                    "formatting the broker's storage failed: "
                            + Files.readString(dir.resolve("format.out"), StandardCharsets.UTF_8));
        }
        broker.restart(Duration.ofSeconds(60));
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** A crash: SIGKILL, no controlled shutdown; the log directory stays as the broker left it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not die");
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the broker (again) on the same log directory and ports and waits until it accepts
     * connections and answers a metadata request.
     */
    public void restart(Duration timeout) throws Exception {
        if (isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        starts++;
        process =
                java("kafka.Kafka", properties.toString())
                        .redirectOutput(dir.resolve("broker-" + starts + ".out").toFile())
                        .start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the broker exited with "
                                + process.exitValue()
                                + "; its last lines:\n"
                                + lastLines());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the broker did not start within "
                                + timeout
                                + "; its last lines:\n"
                                + lastLines());
            }
            Thread.sleep(100);
        }
    }

    /**
     * The end of the current start's output, for a failure message (the temporary directory goes
     * with the test).
     */
    private String lastLines() {
        try {
            List<String> lines =
                    Files.readAllLines(
                            dir.resolve("broker-" + starts + ".out"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException e) {
            return false;
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin a = Admin.create(p)) {
            return !a.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms128m");
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        cmd.add("-cp");
        cmd.add(brokerClasspath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /**
     * This JVM's classpath with Kafka's own jars and what the broker needs most first (Scala,
     * Jackson, logging), then everything else: the same classes, found sooner — the test classpath
     * is long and starting a broker on a busy machine is mostly class loading.
     */
    static String brokerClasspath() {
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            boolean kafka =
                    e.contains("/org/apache/kafka/")
                            || e.contains("/org/scala-lang/")
                            || e.contains("scala-logging")
                            || e.contains("/com/fasterxml/jackson/")
                            || e.contains("/org/apache/logging/log4j/")
                            || e.contains("/org/slf4j/");
            (kafka ? first : rest).add(entry);
        }
        first.addAll(rest);
        return String.join(File.pathSeparator, first);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
