package io.walkstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobProbe;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * State schema evolution: a job keeps a POJO in keyed state; it is stopped with a savepoint; the
 * state class gains a field (the two versions are compiled at test time with javax.tools into
 * separate directories, each given to its job as its user classpath); the new job restores the old
 * savepoint. Flink's POJO serializer migrates the state: old fields keep their values, the new
 * field starts at its default, on the heap and RocksDB backends. This is the rule walkstream's
 * state types (NodeLog, EdgeChunk, ItemFacts, …: public POJOs) follow — add fields, never rename or
 * retype them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StateSchemaEvolutionTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final String V1 =
            "package evo; public class Profile { public String user; public long count; public Profile() {} }";
    static final String V2 =
            "package evo; public class Profile { public String user; public long count; public double score;"
                    + " public java.util.List<String> tags; public Profile() {} }";

    /**
     * Counts records per key in a state object of the given POJO class; emits "key|field=value,…"
     * after each.
     */
    static final class CountInPojo extends KeyedProcessFunction<String, String, String> {
        final TypeInformation<Object> type;
        transient ValueState<Object> state;

        CountInPojo(TypeInformation<Object> type) {
            this.type = type;
        }

        @Override
        public void open(OpenContext ctx) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("profile", type));
        }

        @Override
        public void processElement(String key, Context ctx, Collector<String> out)
                throws Exception {
            Object v = state.value();
            Class<?> c = type.getTypeClass();
            if (v == null) {
                v = c.getDeclaredConstructor().newInstance();
                c.getField("user").set(v, key);
            }
            Field count = c.getField("count");
            count.setLong(v, count.getLong(v) + 1);
            state.update(v);
            Object value = v;
            out.collect(
                    key
                            + "|"
                            + Arrays.stream(c.getFields())
                                    .sorted(Comparator.comparing(Field::getName))
                                    .map(f -> f.getName() + "=" + get(f, value))
                                    .collect(Collectors.joining(",")));
        }

        static Object get(Field f, Object o) {
            try {
                return f.get(o);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A nested state POJO gains a field (as {@code EdgeChunk}, held in {@code NodeLog}, gained
     * {@code count}): the old savepoint restores and the nested object keeps its values.
     */
    static final String NESTED_V1 =
            "package evo; public class Profile { public String user; public long count;"
                    + " public Chunk chunk = new Chunk(); public Profile() {}"
                    + " public static class Chunk { public long[] nbr = {7, 8};"
                    + " public Chunk() {} public String toString() { return \"nbr\" + nbr.length; } } }";

    static final String NESTED_V2 =
            "package evo; public class Profile { public String user; public long count;"
                    + " public Chunk chunk = new Chunk(); public Profile() {}"
                    + " public static class Chunk { public long[] nbr = {7, 8}; public int n;"
                    + " public Chunk() {} public String toString() { return \"nbr\" + nbr.length + \"n\" + n; } } }";

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void aSavepointOfTheOldStateClassRestoresIntoTheClassWithANewField(
            StateBackend backend, @InjectMiniCluster MiniCluster mini, @TempDir Path dir)
            throws Exception {
        Restored r = restoreAcross(backend, mini, dir, V1, V2);
        assertThat(r.lastBefore().get("k0")).startsWith("k0|count=").doesNotContain("score");
        for (String key : r.lastBefore().keySet()) {
            long countBefore = count(r.lastBefore().get(key));
            assertThat(r.firstAfter().get(key))
                    .as("first record of %s after the restore", key)
                    .isEqualTo(
                            key
                                    + "|count="
                                    + (countBefore + 1)
                                    + ",score=0.0,tags=null,user="
                                    + key);
        }
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void aNestedStateClassWithANewFieldRestoresToo(
            StateBackend backend, @InjectMiniCluster MiniCluster mini, @TempDir Path dir)
            throws Exception {
        Restored r = restoreAcross(backend, mini, dir, NESTED_V1, NESTED_V2);
        for (String key : r.lastBefore().keySet()) {
            long countBefore = count(r.lastBefore().get(key));
            assertThat(r.lastBefore().get(key)).contains("chunk=nbr2,");
            assertThat(r.firstAfter().get(key))
                    .as("first record of %s after the restore", key)
                    .isEqualTo(key + "|chunk=nbr2n0,count=" + (countBefore + 1) + ",user=" + key);
        }
    }

    /** Each key's last row before the savepoint and first row after restoring it. */
    record Restored(Map<String, String> lastBefore, Map<String, String> firstAfter) {}

    /** Runs {@code v1}, stops it with a savepoint, restores that into {@code v2}. */
    static Restored restoreAcross(
            StateBackend backend, MiniCluster mini, Path dir, String v1Source, String v2Source)
            throws Exception {
        Path v1 = compile(dir.resolve("v1"), v1Source);
        Path v2 = compile(dir.resolve("v2"), v2Source);

        List<String> before = new ArrayList<>();
        Running first = start(backend, v1, null, before);
        JobProbe.awaitCheckpoints(mini, first.client().getJobID(), 1, Duration.ofSeconds(60));
        String savepoint =
                first.client()
                        .stopWithSavepoint(
                                false,
                                dir.resolve("sp").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        first.collector().join(30_000); // every row up to the savepoint

        List<String> after = new ArrayList<>();
        Running second = start(backend, v2, savepoint, after);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (firstPerKey(after).size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        second.client().cancel().get(30, TimeUnit.SECONDS);
        Map<String, String> lastBefore = lastPerKey(before);
        assertThat(lastBefore).hasSize(3);
        return new Restored(lastBefore, firstPerKey(after));
    }

    /** A running job and the thread collecting its output (it ends when the job ends). */
    record Running(JobClient client, Thread collector) {}

    static Running start(StateBackend backend, Path classes, String savepoint, List<String> sink)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(
                StateBackendOptions.STATE_BACKEND,
                backend == StateBackend.ROCKSDB ? "rocksdb" : "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.CLASSPATHS, List.of(classes.toUri().toURL().toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        URLClassLoader loader =
                new URLClassLoader(
                        new URL[] {classes.toUri().toURL()},
                        StateSchemaEvolutionTest.class.getClassLoader());
        @SuppressWarnings("unchecked")
        TypeInformation<Object> type =
                (TypeInformation<Object>)
                        (TypeInformation<?>) TypeInformation.of(loader.loadClass("evo.Profile"));
        GeneratorFunction<Long, String> keys = n -> "k" + (n % 3);
        var out =
                env.fromSource(
                                new DataGeneratorSource<>(
                                        keys,
                                        Long.MAX_VALUE,
                                        RateLimiterStrategy.perSecond(200),
                                        Types.STRING),
                                WatermarkStrategy.noWatermarks(),
                                "keys")
                        .uid("keys")
                        .keyBy(k -> k)
                        .process(new CountInPojo(type))
                        .uid("count-in-pojo");
        CloseableIterator<String> it = out.collectAsync();
        StreamGraph graph = env.getStreamGraph();
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, true));
        }
        JobClient client = env.executeAsync(graph);
        Thread t =
                new Thread(
                        () -> {
                            try (it) {
                                while (it.hasNext()) {
                                    String s = it.next();
                                    synchronized (sink) {
                                        sink.add(s);
                                    }
                                }
                            } catch (Exception e) {
                                // the job was cancelled
                            }
                        });
        t.setDaemon(true);
        t.start();
        return new Running(client, t);
    }

    static Map<String, String> lastPerKey(List<String> rows) {
        Map<String, String> m = new HashMap<>();
        synchronized (rows) {
            for (String r : rows) {
                m.put(r.substring(0, r.indexOf('|')), r);
            }
        }
        return m;
    }

    static Map<String, String> firstPerKey(List<String> rows) {
        Map<String, String> m = new HashMap<>();
        synchronized (rows) {
            for (String r : rows) {
                m.putIfAbsent(r.substring(0, r.indexOf('|')), r);
            }
        }
        return m;
    }

    static long count(String row) {
        String c = row.substring(row.indexOf("count=") + 6);
        int end = c.indexOf(',');
        return Long.parseLong(end < 0 ? c : c.substring(0, end));
    }

    static Path compile(Path out, String source) throws Exception {
        Path src = Files.createDirectories(out.resolve("src/evo")).resolve("Profile.java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(out.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), src.toString());
        assertThat(rc).as("javac").isZero();
        return classes;
    }
}
