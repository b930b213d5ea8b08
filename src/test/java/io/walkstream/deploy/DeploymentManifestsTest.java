package io.walkstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.walkstream.WalkstreamJob;
import io.walkstream.cli.ServeCommand;
import io.walkstream.config.ConfigLoader;
import io.walkstream.config.JobConfig;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.KafkaJob;
import io.walkstream.serve.GatewayServer;
import io.walkstream.serve.GatewaySettings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The deployment files under {@code docker/} — the Kubernetes manifests, the compose file, the
 * Prometheus configuration and the Grafana dashboard — checked against the code they deploy, since
 * no Kubernetes cluster or Docker engine exists where the tests run.
 *
 * <p>The FlinkDeployment's checks are the Flink Kubernetes Operator's CRD ({@code
 * helm/flink-kubernetes-operator/crds/flinkdeployments.flink.apache.org-v1.yml} in
 * apache/flink-kubernetes-operator, main as of July 2026; no Maven artifact here ships it): the
 * {@code flinkVersion}, {@code job.upgradeMode} and {@code job.state} enums and the fields' types.
 * The dashboard's queries are checked against the metrics a real job exports through Flink's own
 * Prometheus reporter (the one the FlinkDeployment enables) and a real gateway's {@code /metrics}.
 */
class DeploymentManifestsTest {
    static final Path DOCKER = Path.of("docker");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    /** The CRD's enums (operator main, July 2026). */
    static final Set<String> FLINK_VERSIONS =
            Set.of(
                    "v1_16", "v1_17", "v1_18", "v1_19", "v1_20", "v2_0", "v2_1", "v2_2", "v2_3",
                    "v2_4");

    static final Set<String> UPGRADE_MODES = Set.of("stateless", "savepoint", "last-state");
    static final Set<String> JOB_STATES = Set.of("running", "suspended");

    @Test
    void everyFileParses() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(DOCKER)) {
            files = s.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (Path f : files) {
            assertThat(documents(f)).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void theFlinkDeploymentMatchesTheOperatorsSchemaAndTheJob() throws Exception {
        JsonNode d = single(DOCKER.resolve("kubernetes/flinkdeployment.yaml"));
        assertThat(d.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.path("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = d.path("spec");
        String[] v = EnvironmentInformation.getVersion().split("\\.");
        String ours = "v" + v[0] + "_" + v[1];
        assertThat(spec.path("flinkVersion").asText()).isIn(FLINK_VERSIONS).isEqualTo(ours);
        JsonNode job = spec.path("job");
        assertThat(job.path("upgradeMode").asText()).isIn(UPGRADE_MODES).isEqualTo("savepoint");
        assertThat(job.path("state").asText()).isIn(JOB_STATES);
        assertThat(job.path("parallelism").isInt()).isTrue();
        assertThat(job.path("args").isArray()).isTrue();
        assertThat(spec.path("taskManager").path("replicas").asInt()).isEqualTo(2);
        for (String role : List.of("jobManager", "taskManager")) {
            JsonNode r = spec.path(role).path("resource");
            assertThat(r.path("memory").asText()).as(role).matches("\\d+m");
            assertThat(r.path("cpu").isNumber()).as(role).isTrue();
        }
        // The entry class is the job's, and the jar is where the image puts it.
        Class<?> entry = Class.forName(job.path("entryClass").asText());
        assertThat(entry.getMethod("main", String[].class)).isNotNull();
        String jar = job.path("jarURI").asText();
        assertThat(jar).startsWith("local://");
        assertThat(Files.readString(DOCKER.resolve("Dockerfile")))
                .contains("COPY target/walkstream-job.jar " + jar.substring("local://".length()));
        flinkConfigurationKeysAreFlinks(spec.path("flinkConfiguration"));
        theImageAndItsPluginAreTheJobsFlinkVersion(spec);
        theParallelismFitsTheSlots(spec, job);
        assertThat(spec.path("flinkConfiguration").path("state.backend.type").asText())
                .isEqualTo("rocksdb");
        assertThat(spec.path("flinkConfiguration").path("execution.checkpointing.dir").asText())
                .doesNotStartWith("file:");
        theJobsConfigurationIsMountedAndValid(spec, job);
    }

    /**
     * The image is the Flink release the jar is built against, to the patch version, and the S3
     * plugin enabled by name is that release's: the image's start script exits when it is missing.
     */
    private static void theImageAndItsPluginAreTheJobsFlinkVersion(JsonNode spec)
            throws IOException {
        String version = EnvironmentInformation.getVersion();
        assertThat(Files.readString(DOCKER.resolve("Dockerfile")))
                .contains("FROM flink:" + version + "-java17");
        String plugins =
                spec.path("podTemplate")
                        .path("spec")
                        .path("containers")
                        .get(0)
                        .path("env")
                        .findValues("value")
                        .toString();
        assertThat(plugins).contains("flink-s3-fs-presto-" + version + ".jar");
    }

    /**
     * The job sets its own parallelism from its configuration (it overrides the operator's), so the
     * {@code --set job.parallelism} it is given, the spec's parallelism and the slots of the
     * TaskManagers must agree.
     */
    private static void theParallelismFitsTheSlots(JsonNode spec, JsonNode job) {
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        int set = -1;
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--set") && args.get(i + 1).startsWith("job.parallelism=")) {
                set = Integer.parseInt(args.get(i + 1).substring("job.parallelism=".length()));
            }
        }
        int slots =
                Integer.parseInt(
                        spec.path("flinkConfiguration")
                                .path("taskmanager.numberOfTaskSlots")
                                .asText());
        int total = spec.path("taskManager").path("replicas").asInt() * slots;
        assertThat(set)
                .as("--set job.parallelism in the args")
                .isEqualTo(job.path("parallelism").asInt());
        assertThat(total).as("TaskManager replicas x slots").isEqualTo(set);
    }

    /** Every key is an option Flink defines (reporters' own keys live under their prefix). */
    private static void flinkConfigurationKeysAreFlinks(JsonNode conf) throws Exception {
        Set<String> known = new HashSet<>();
        for (Class<?> c :
                List.of(
                        CheckpointingOptions.class,
                        StateBackendOptions.class,
                        TaskManagerOptions.class,
                        ExecutionOptions.class,
                        RestOptions.class,
                        Class.forName("org.apache.flink.configuration.MetricOptions"))) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    known.add(o.key());
                }
            }
        }
        List<String> unknown = new ArrayList<>();
        conf.fieldNames()
                .forEachRemaining(
                        k -> {
                            if (!known.contains(k) && !k.startsWith("metrics.reporter.prom.")) {
                                unknown.add(k);
                            }
                        });
        assertThat(unknown).as("keys Flink does not define").isEmpty();
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    }

    /**
     * The job's {@code --config} file is a key of the ConfigMap mounted where the args say, it
     * loads with the job's own loader, and it checkpoints where Flink is told to.
     */
    private static void theJobsConfigurationIsMountedAndValid(JsonNode spec, JsonNode job)
            throws Exception {
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        String config = args.get(args.indexOf("--config") + 1);
        JsonNode container = spec.path("podTemplate").path("spec").path("containers").get(0);
        JsonNode configMap = single(DOCKER.resolve("kubernetes/configmap.yaml"));
        String yaml =
                mountedFile(container, spec.path("podTemplate").path("spec"), configMap, config);
        // The strategies folder exists only in the image (the Dockerfile copies the repository's
        // there): load with the repository's, and check the image's path apart.
        String imageStrategies = YAML.readTree(yaml).path("strategies").path("dir").asText();
        assertThat(Files.readString(DOCKER.resolve("Dockerfile")))
                .contains("COPY job-configs/strategies " + imageStrategies);
        JobConfig cfg =
                ConfigLoader.parse(yaml, Map.of("strategies.dir", "job-configs/strategies"));
        assertThat(cfg.job.stateBackend.name()).isEqualTo("ROCKSDB");
        assertThat(cfg.job.checkpointDir)
                .isEqualTo(
                        spec.path("flinkConfiguration")
                                .path("execution.checkpointing.dir")
                                .asText());
    }

    /** The text of {@code path} in a container that mounts {@code configMap} at its folder. */
    private static String mountedFile(
            JsonNode container, JsonNode podSpec, JsonNode configMap, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            String dir = m.path("mountPath").asText();
            if (path.startsWith(dir + "/")) {
                for (JsonNode vol : podSpec.path("volumes")) {
                    if (vol.path("name").asText().equals(m.path("name").asText())) {
                        assertThat(vol.path("configMap").path("name").asText())
                                .isEqualTo(configMap.path("metadata").path("name").asText());
                        String key = path.substring(dir.length() + 1);
                        assertThat(configMap.path("data").has(key)).as(key).isTrue();
                        return configMap.path("data").path(key).asText();
                    }
                }
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    @Test
    void theGatewaysDeploymentAndServiceAgreeWithTheGateway() throws Exception {
        List<JsonNode> docs = documents(DOCKER.resolve("kubernetes/gateway.yaml"));
        JsonNode deployment = byKind(docs, "Deployment");
        JsonNode service = byKind(docs, "Service");
        JsonNode pod = deployment.path("spec").path("template");
        assertThat(deployment.path("spec").path("selector").path("matchLabels"))
                .isEqualTo(pod.path("metadata").path("labels"));
        assertThat(service.path("spec").path("selector"))
                .isEqualTo(pod.path("metadata").path("labels"));
        JsonNode container = pod.path("spec").path("containers").get(0);
        Map<String, Integer> ports = new LinkedHashMap<>();
        container
                .path("ports")
                .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        CommandLine.Model.CommandSpec serve = new CommandLine(new ServeCommand()).getCommandSpec();
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        new CommandLine(new ServeCommand()).parseArgs(args.toArray(String[]::new)); // valid options
        assertThat(ports.get("http"))
                .isEqualTo(Integer.parseInt(option(args, serve, "--http-port")));
        assertThat(ports.get("grpc"))
                .isEqualTo(Integer.parseInt(option(args, serve, "--grpc-port")));
        for (JsonNode p : service.path("spec").path("ports")) {
            assertThat(ports).containsKey(p.path("targetPort").asText());
        }
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/v1/health");
        String config = args.get(args.indexOf("--config") + 1);
        JsonNode configMap = single(DOCKER.resolve("kubernetes/configmap.yaml"));
        assertThat(mountedFile(container, pod.path("spec"), configMap, config)).isNotBlank();
        assertThat(Files.readString(DOCKER.resolve("Dockerfile.gateway")))
                .contains("io.walkstream.cli.WalkstreamCli", "\"serve\"");
    }

    private static String option(
            List<String> args, CommandLine.Model.CommandSpec spec, String name) {
        int i = args.indexOf(name);
        return i >= 0 ? args.get(i + 1) : spec.findOption(name).defaultValue();
    }

    @Test
    void prometheusScrapesServicesOfTheComposeFileAndGrafanaIsProvisioned() throws Exception {
        JsonNode compose = single(DOCKER.resolve("docker-compose.yml"));
        Set<String> services = new TreeSet<>();
        compose.path("services").fieldNames().forEachRemaining(services::add);
        assertThat(services)
                .contains("prometheus", "grafana", "gateway", "jobmanager", "taskmanager");
        JsonNode prom = single(DOCKER.resolve("prometheus/prometheus.yml"));
        for (JsonNode job : prom.path("scrape_configs")) {
            for (JsonNode sc : job.path("static_configs")) {
                for (JsonNode t : sc.path("targets")) {
                    assertThat(services).contains(t.asText().split(":")[0]);
                }
            }
        }
        JsonNode ds = single(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml"));
        String uid = ds.path("datasources").get(0).path("uid").asText();
        JsonNode dashboard =
                JSON.readTree(DOCKER.resolve("grafana/dashboards/walkstream.json").toFile());
        for (JsonNode p : dashboard.path("panels")) {
            assertThat(p.path("datasource").path("uid").asText())
                    .as(p.path("title").asText())
                    .isEqualTo(uid);
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo(uid);
            }
        }
        String volumes = compose.path("services").path("grafana").path("volumes").toString();
        assertThat(volumes).contains("./grafana/provisioning:", "./grafana/dashboards:");
    }

    /**
     * Every metric the dashboard queries is exported: a job with the Prometheus reporter on a
     * MiniCluster (parallelism 2) reads events, a bad record, requests and a strategy with a
     * variant from a real broker, checkpoints, and is scraped; a gateway in front of it is scraped
     * too.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        Set<String> exported = new TreeSet<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig cfg = jobOn(kafka);
            Configuration conf = WalkstreamJob.flinkConfiguration(cfg);
            conf.setString(
                    "metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", "19249-19289");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(conf);
            KafkaJob.attach(cfg, env);
            JobClient job = env.executeAsync("walkstream-metrics");
            try (GatewayServer gateway =
                    GatewayServer.start(
                            GatewaySettings.from(cfg, "127.0.0.1", 0, 0), Duration.ofSeconds(30))) {
                feed(kafka, cfg);
                String base = "http://127.0.0.1:" + gateway.httpPort();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                Set<String> missing = Set.of();
                while (System.nanoTime() < deadline) {
                    post(base + "/v1/recommendations", "{\"user\":\"u:1\",\"channel\":\"exp\"}");
                    exported.clear();
                    for (int port = 19249; port <= 19289; port++) {
                        exported.addAll(names(scrape("http://127.0.0.1:" + port + "/")));
                    }
                    exported.addAll(names(scrape(base + "/metrics")));
                    missing = missing(dashboardQueries(), exported);
                    if (missing.isEmpty()) {
                        break;
                    }
                    Thread.sleep(1000);
                }
                assertThat(missing).as("queried by the dashboard, exported by nothing").isEmpty();
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static JobConfig jobOn(EmbeddedKafka kafka) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrapServers", kafka.bootstrapServers());
        m.put("kafka.startOffsets", "EARLIEST");
        m.put("job.parallelism", "2");
        m.put("job.checkpointIntervalMs", "1000");
        JobConfig cfg = ConfigLoader.parse("", m);
        kafka.createTopics(2, cfg.kafka.allTopics());
        return cfg;
    }

    private static void feed(EmbeddedKafka kafka, JobConfig cfg) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> out =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            long ts = System.currentTimeMillis() - 60_000;
            for (int i = 1; i <= 20; i++) {
                out.send(
                        new ProducerRecord<>(
                                cfg.kafka.itemsTopic,
                                "i:" + i,
                                "{\"item\":\"i:"
                                        + i
                                        + "\",\"category\":\"c"
                                        + (i % 3)
                                        + "\",\"ts\":"
                                        + ts
                                        + "}"));
            }
            for (int u = 1; u <= 10; u++) {
                for (int j = 0; j < 4; j++) {
                    out.send(
                            new ProducerRecord<>(
                                    cfg.kafka.interactionsTopic,
                                    "u:" + u,
                                    "{\"user\":\"u:"
                                            + u
                                            + "\",\"item\":\"i:"
                                            + (1 + (u * 3 + j * 7) % 20)
                                            + "\",\"action\":\"click\",\"ts\":"
                                            + (ts + 1000 + u)
                                            + "}"));
                }
            }
            out.send(
                    new ProducerRecord<>(
                            cfg.kafka.interactionsTopic,
                            "u:1",
                            "{\"user\":\"u:1\",\"action\":\"teleport\"}"));
            out.send(
                    new ProducerRecord<>(
                            cfg.kafka.interactionsTopic,
                            "u:2",
                            "{\"user\":\"u:2\",\"action\":\"follow\",\"followee\":\"u:1\",\"ts\":"
                                    + (ts + 2000)
                                    + "}"));
            out.send(
                    new ProducerRecord<>(
                            cfg.kafka.strategiesTopic,
                            "exp",
                            "name: exp\nversion: 1\nsources: [{type: walk}]\nvariants: [{name: a, share: 50}, {name: b, share: 50}]\n"));
            out.flush();
        }
    }

    /** The metric names and name patterns of the dashboard's queries. */
    static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard =
                JSON.readTree(DOCKER.resolve("grafana/dashboards/walkstream.json").toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        return out;
    }

    /**
     * What the queries name that {@code exported} lacks: plain names, and {@code __name__=~}
     * patterns.
     */
    static Set<String> missing(List<String> queries, Set<String> exported) {
        Set<String> missing = new TreeSet<>();
        Pattern name = Pattern.compile("\\b((?:flink|walkstream)_[A-Za-z0-9_]+)");
        Pattern regex = Pattern.compile("__name__=~\"([^\"]+)\"");
        for (String q : queries) {
            Matcher r = regex.matcher(q);
            while (r.find()) {
                Pattern p = Pattern.compile(r.group(1));
                if (exported.stream().noneMatch(n -> p.matcher(n).matches())) {
                    missing.add(r.group(1));
                }
            }
            Matcher m = name.matcher(regex.matcher(q).replaceAll(""));
            while (m.find()) {
                String n = m.group(1);
                // A histogram's series carry suffixes the query names.
                if (!exported.contains(n)
                        && !exported.contains(n.replaceAll("_(bucket|sum|count)$", ""))) {
                    missing.add(n);
                }
            }
        }
        return missing;
    }

    /** The metric names of a Prometheus text page (histogram series under their own names too). */
    static Set<String> names(String text) {
        Set<String> out = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length()
                    && (Character.isLetterOrDigit(line.charAt(end))
                            || line.charAt(end) == '_'
                            || line.charAt(end) == ':')) {
                end++;
            }
            out.add(line.substring(0, end));
        }
        return out;
    }

    private static String scrape(String url) {
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(url))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return ""; // no reporter on this port
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void post(String url, String body) throws Exception {
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                body, StandardCharsets.UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    static List<JsonNode> documents(Path f) throws IOException {
        if (f.toString().endsWith(".json")) {
            return List.of(JSON.readTree(f.toFile()));
        }
        List<JsonNode> out = new ArrayList<>();
        try (JsonParser p = YAML.getFactory().createParser(f.toFile())) {
            YAML.readValues(p, JsonNode.class).forEachRemaining(out::add);
        }
        return out;
    }

    static JsonNode single(Path f) throws IOException {
        List<JsonNode> d = documents(f);
        assertThat(d).as(f.toString()).hasSize(1);
        return d.get(0);
    }

    static JsonNode byKind(List<JsonNode> docs, String kind) {
        return docs.stream()
                .filter(d -> d.path("kind").asText().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }
}
