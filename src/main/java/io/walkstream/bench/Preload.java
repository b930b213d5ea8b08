package io.walkstream.bench;

import java.util.Locale;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;

/** Waits until the sources have emitted the preload and the job has applied it. */
final class Preload {
    private Preload() {}

    static void await(JobClient client, long preload, Consumer<String> progress) throws Exception {
        long applied = 0;
        while (applied < preload) {
            Thread.sleep(1000);
            if (!LocalJob.running(client)) {
                throw new IllegalStateException("the job stopped: " + client.getJobStatus().get());
            }
            applied = IngestBenchmark.applied(client);
            progress.accept(
                    String.format(
                            Locale.ROOT,
                            "preloading: %,d of %,d events applied",
                            applied,
                            preload));
        }
        Thread.sleep(2000); // let the steps behind Item catch up
    }
}
