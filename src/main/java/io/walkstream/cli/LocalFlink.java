package io.walkstream.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

/** A local Flink mini cluster with its web UI, on port 8081 or, if that is taken, a free one. */
final class LocalFlink {
    static final int DEFAULT_UI_PORT = 8081;

    private LocalFlink() {}

    /**
     * The environment, and the UI port actually used (written into {@code conf}); checkpoints on
     * disk (see {@link #checkpointsOnDisk}).
     */
    static StreamExecutionEnvironment withWebUi(Configuration conf, int wantedPort)
            throws IOException {
        checkpointsOnDisk(conf);
        int port = wantedPort;
        if (!isFree(port)) {
            port = freePort();
            System.err.printf(
                    "port %d is taken: the Flink web UI uses http://localhost:%d instead%n",
                    wantedPort, port);
        }
        conf.set(RestOptions.PORT, port);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "localhost");
        // Flame graphs of each operator in the web UI (job → operator → "Flame Graph"): sampled on
        // demand only.
        conf.set(RestOptions.ENABLE_FLAMEGRAPH, true);
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    }

    /**
     * Gives a local run whose checkpoints have nowhere durable to go ({@link CheckpointStorage}) a
     * temporary directory, deleted when the process exits (the demo's job restarted in a loop after
     * about 40 s without one).
     *
     * @return the directory, when one was made
     */
    static Optional<Path> checkpointsOnDisk(Configuration conf) throws IOException {
        if (!CheckpointStorage.missing(conf)) {
            return Optional.empty();
        }
        Path dir = Files.createTempDirectory("walkstream-checkpoints-");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> FileUtils.deleteDirectoryQuietly(dir.toFile())));
        return Optional.of(dir);
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
