package io.walkstream.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.io.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web console in a real browser (Debian's headless Chromium through its ChromeDriver) against
 * the gateway in front of the real job on a MiniCluster (parallelism 2) and a real broker: the live
 * figures fill in, a dead letter shows with its reason, a user's answer shows items and reasons,
 * variants answer side by side, inspect links to a neighbour, and a broken strategy shows its error
 * by field. Screenshots go to {@code target/console-screenshots} (and to the folder named by {@code
 * -Dconsole.screenshots=docs}, which is how the docs' pictures are made). Skips, saying why, where
 * the browser is not installed ({@code .ci/run} installs it).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration AWAIT = Duration.ofSeconds(60);

    static LiveJob cluster;
    static GatewayServer gateway;
    static GatewayServer keyed;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "the console's browser test needs Debian's chromium and chromium-driver"
                        + " (/usr/bin/chromium, /usr/bin/chromedriver); .ci/run installs them:"
                        + " apt-get install -y chromium chromium-driver");
        cluster = LiveJob.start();
        gateway =
                GatewayServer.start(
                        GatewaySettings.from(cluster.config, "127.0.0.1", 0, 0),
                        Duration.ofSeconds(30));
        base = "http://127.0.0.1:" + gateway.httpPort();
        feedGraph();
        browser = chromium();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable c : new AutoCloseable[] {keyed, gateway, cluster}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /**
     * Twenty users over thirty items and the catalogue through the gateway, a bad record straight
     * onto the topic (a dead letter), and a strategy with two variants.
     */
    static void feedGraph() throws Exception {
        // Stamped a little in the past, as a replayed log would be.
        long ts = System.currentTimeMillis() - 10_000;
        StringBuilder events = new StringBuilder("{\"interactions\":[");
        for (int u = 1; u <= 20; u++) {
            for (int j = 0; j < 6; j++) {
                int item = 1 + (u * 7 + j * 5) % 30;
                events.append(u == 1 && j == 0 ? "" : ",")
                        .append("{\"user\":\"u:")
                        .append(u)
                        .append("\",\"item\":\"i:")
                        .append(item)
                        .append("\",\"action\":\"click\",\"ts\":")
                        .append(ts + u)
                        .append("}");
            }
        }
        events.append("],\"items\":[");
        for (int i = 1; i <= 30; i++) {
            events.append(i == 1 ? "" : ",")
                    .append("{\"item\":\"i:")
                    .append(i)
                    .append("\",\"category\":\"c")
                    .append(i % 3)
                    .append("\"}");
        }
        events.append("]}");
        assertThat(post("/v1/events", events.toString(), "application/json").statusCode())
                .isEqualTo(200);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    cluster.config.kafka.interactionsTopic,
                                    "u:1".getBytes(StandardCharsets.UTF_8),
                                    "{\"user\":\"u:1\",\"item\":\"i:1\",\"action\":\"teleport\"}"
                                            .getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        String strategy =
                """
                name: exp
                version: 1
                sources: [{type: walk}]
                variants:
                  - {name: calm, share: 50}
                  - {name: lively, share: 50, combiner: {randomness: 0.5}}
                """;
        assertThat(post("/v1/strategies", strategy, "application/yaml").statusCode())
                .isEqualTo(200);
    }

    static HttpResponse<String> post(String path, String body, String type) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .header("Content-Type", type)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    static WebDriver chromium() {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        // The flags this machine's notes give for a closed network; a fresh profile each run.
        o.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1000");
        ChromeDriverService service =
                new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        return new ChromeDriver(service, o);
    }

    @Test
    void theConsoleShowsLiveFiguresAnswersInspectAndStrategyErrors() throws Exception {
        browser.get(base + "/");
        liveFiguresAndDeadLetters();
        anAnswerWithReasons();
        variantsSideBySide();
        screenshot("console-ask");
        inspectAndFollowANeighbour();
        screenshot("console-inspect");
        aBrokenStrategyShowsItsFieldError();
        screenshot("console-strategies");
        answersShowInTheLiveView();
        screenshot("console-live");
    }

    /** A few seconds of requests through the gateway: the live view counts their answers. */
    private void answersShowInTheLiveView() throws Exception {
        tab("live");
        for (int i = 0; i < 30; i++) {
            post(
                    "/v1/recommendations",
                    "{\"user\":\"u:" + (1 + i % 20) + "\"}",
                    "application/json");
            sleep(100);
        }
        await(
                "answers and their latency in the live view",
                () -> !text("tile-answers").equals("0") && !text("tile-p99").equals("–"));
    }

    private void liveFiguresAndDeadLetters() {
        await(
                "the live view counts events and shows the gateway healthy",
                () -> text("status").startsWith("healthy") && !text("tile-events").equals("–"));
        await(
                "the dead letter's reason is listed",
                () -> text("dl-last").contains("unknown action 'teleport'"));
        assertThat(text("dl-by-topic")).contains(cluster.config.kafka.interactionsTopic);
    }

    private void anAnswerWithReasons() {
        tab("ask");
        type("ask-user", "u:1");
        // The events were accepted by Kafka; ask until the job has applied them.
        await(
                "u:1's answer lists items with reasons",
                () -> {
                    click("ask-go");
                    sleep(700);
                    return !browser.findElements(By.cssSelector("#ask-result tr.rec-item"))
                            .isEmpty();
                });
        WebElement first = browser.findElement(By.cssSelector("#ask-result tr.rec-item"));
        assertThat(first.getAttribute("data-item")).startsWith("i:");
        assertThat(first.findElements(By.cssSelector("ul.reasons li"))).isNotEmpty();
    }

    private void variantsSideBySide() {
        type("ask-channel", "exp");
        click("ask-compare");
        await(
                "one answer per variant",
                () -> browser.findElements(By.cssSelector("#ask-result .answer")).size() == 2);
        List<String> variants =
                browser.findElements(By.cssSelector("#ask-result .answer")).stream()
                        .map(e -> e.getAttribute("data-variant"))
                        .toList();
        assertThat(variants).containsExactly("calm", "lively");
    }

    private void inspectAndFollowANeighbour() {
        tab("inspect");
        type("inspect-node", "u:1");
        click("inspect-go");
        await(
                "the profile of u:1 with neighbour links",
                () -> !browser.findElements(By.cssSelector("#inspect-result a.node")).isEmpty());
        assertThat(text("inspect-result")).contains("behaviour");
        WebElement link = browser.findElement(By.cssSelector("#inspect-result a.node"));
        String key = link.getText();
        link.click();
        await(
                "the neighbour is inspected in turn",
                () ->
                        browser.findElement(By.id("inspect-node"))
                                        .getAttribute("value")
                                        .equals("#" + key)
                                && text("inspect-result").contains("#" + key));
    }

    private void aBrokenStrategyShowsItsFieldError() {
        tab("strategies");
        await(
                "the published strategy and its variants are listed",
                () -> text("strategies-published").contains("calm, lively"));
        WebElement doc = browser.findElement(By.id("strategy-doc"));
        doc.clear();
        doc.sendKeys("name: exp\nversion: 2\nsources: [{type: walk, weight: -1}]\n");
        click("strategy-publish");
        await(
                "the problem is shown by field",
                () ->
                        !browser.findElements(By.cssSelector("#strategy-errors li.problem"))
                                .isEmpty());
        WebElement problem = browser.findElement(By.cssSelector("#strategy-errors li.problem"));
        assertThat(problem.getAttribute("data-field")).isEqualTo("sources[0].weight");
        assertThat(problem.getText()).contains("must be > 0");
    }

    @Test
    void withKeysTheDataNeedsTheKeyButThePageLoads() throws Exception {
        keyed =
                GatewayServer.start(
                        GatewaySettings.from(cluster.config, "127.0.0.1", 0, 0)
                                .withSecurity(
                                        GatewaySecurity.OPEN.withApiKeys(
                                                ApiKeys.parse(
                                                        "ops:console-key-0123456789", "test"))),
                        Duration.ofSeconds(30));
        String url = "http://127.0.0.1:" + keyed.httpPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> live =
                http.send(
                        HttpRequest.newBuilder(URI.create(url + "/v1/console/live")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(401);
        browser.get(url + "/");
        await("the page says it needs a key", () -> text("status").contains("needs an API key"));
        type("key", "console-key-0123456789");
        ((JavascriptExecutor) browser)
                .executeScript("document.getElementById('key').dispatchEvent(new Event('change'))");
        await("with the key, the live view fills in", () -> text("status").startsWith("healthy"));
        assertThat(
                        JsonCodec.mapper()
                                .readTree(
                                        http.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                url
                                                                                        + "/v1/console/live"))
                                                                .header(
                                                                        "Authorization",
                                                                        "Bearer console-key-0123456789")
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString())
                                                .body())
                                .has("seconds"))
                .isTrue();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void click(String id) {
        browser.findElement(By.id(id)).click();
    }

    private static void type(String id, String value) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    private static void tab(String name) {
        browser.findElement(By.cssSelector("header nav a[data-tab='" + name + "']")).click();
    }

    /** Polls {@code condition} until it holds; a browser or page error counts as "not yet". */
    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (org.openqa.selenium.WebDriverException e) {
                last = e;
            }
            sleep(250);
        }
        throw new AssertionError(
                "not within "
                        + AWAIT.toSeconds()
                        + " s: "
                        + what
                        + "; the page's status, errors and answer: "
                        + text("status")
                        + " | "
                        + text("ask-error")
                        + " | "
                        + browser.findElement(By.id("ask-result")).getAttribute("textContent"),
                last);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Path dir = Files.createDirectories(Path.of("target", "console-screenshots"));
        Files.write(dir.resolve(name + ".png"), png);
        String docs = System.getProperty("console.screenshots");
        if (docs != null && !docs.isBlank()) {
            Files.write(Files.createDirectories(Path.of(docs)).resolve(name + ".png"), png);
        }
    }
}
