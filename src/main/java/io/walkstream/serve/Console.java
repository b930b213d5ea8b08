package io.walkstream.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.io.JsonCodec;
import io.walkstream.serve.GatewayException.Kind;
import io.walkstream.strategy.StrategyCompiler;
import io.walkstream.strategy.StrategyLoader;
import io.walkstream.strategy.StrategySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the web console asks the gateway beyond recommendations: the live view ({@link ConsoleFeed},
 * {@link AnswerStats}), the strategies published and served, and publishing a new strategy version.
 * A document is checked here with the job's own checks ({@link StrategyCompiler} against the job's
 * configuration) so the console can show errors by field before anything is written; the job checks
 * it again (it also refuses a version older than the one in force).
 */
final class Console implements AutoCloseable {
    private final GatewaySettings settings;
    private final AnswerStats answers = new AnswerStats();
    private final ConsoleFeed feed;
    private final StrategyCompiler compiler;
    private final KafkaProducer<byte[], byte[]> producer;

    Console(GatewaySettings settings) {
        this.settings = settings;
        this.compiler = new StrategyCompiler(settings.job());
        this.feed = new ConsoleFeed(settings.kafka(), answers, this::describe);
        Properties p =
                settings.kafka()
                        .clientProperties(
                                Map.of(
                                        ProducerConfig.CLIENT_ID_CONFIG,
                                        "walkstream-gateway-strategies",
                                        ProducerConfig.ACKS_CONFIG,
                                        "all",
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                        "2000"));
        this.producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void start() {
        feed.start();
    }

    AnswerStats answers() {
        return answers;
    }

    /** The last {@code seconds} seconds of traffic and the recent dead letters. */
    byte[] live(int seconds) {
        return JsonCodec.write(feed.live(Math.max(1, Math.min(seconds, ConsoleFeed.KEEP_SECONDS))));
    }

    /**
     * {@code published}: the newest document per name on the strategies topic, with its version and
     * the problems the job's checks find in it; {@code served}: answers per strategy, version and
     * variant seen since the gateway started (what is really in force).
     */
    byte[] strategies() {
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        ArrayNode published = out.putArray("published");
        feed.published().forEach(published::add);
        ArrayNode served = out.putArray("served");
        for (AnswerStats.Served s : answers.served()) {
            served.add(JsonCodec.mapper().valueToTree(s));
        }
        return JsonCodec.write(out);
    }

    /**
     * Checks a strategy document and, when it passes, writes it to the strategies topic under its
     * name. Fails with {@link Kind#INVALID} listing every problem by field.
     */
    CompletableFuture<byte[]> publish(byte[] document) {
        Checked checked = check(new String(document, StandardCharsets.UTF_8));
        if (!checked.problems().isEmpty()) {
            return CompletableFuture.failedFuture(
                    new GatewayException(
                            Kind.INVALID,
                            String.join("; ", checked.problems()),
                            checked.problems()));
        }
        StrategySpec spec = checked.spec();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        try {
            producer.send(
                    new ProducerRecord<>(
                            settings.kafka().strategiesTopic,
                            spec.name.getBytes(StandardCharsets.UTF_8),
                            document),
                    (meta, e) -> {
                        if (e != null) {
                            done.completeExceptionally(
                                    new GatewayException(
                                            Kind.UNAVAILABLE,
                                            "could not write the strategy to Kafka: "
                                                    + e.getMessage()));
                        } else {
                            ObjectNode n =
                                    JsonCodec.mapper()
                                            .createObjectNode()
                                            .put("published", spec.name)
                                            .put("version", spec.version);
                            done.complete(JsonCodec.write(n));
                        }
                    });
        } catch (RuntimeException e) {
            done.completeExceptionally(
                    new GatewayException(
                            Kind.UNAVAILABLE,
                            "could not write the strategy to Kafka: " + e.getMessage()));
        }
        return done.orTimeout(settings.maxDeadlineMs(), TimeUnit.MILLISECONDS);
    }

    /** A document read once: its spec when it parses, and the job's problems with it. */
    record Checked(StrategySpec spec, List<String> problems) {}

    /** The job's own problems with a document: parse errors, then validation, each by field. */
    Checked check(String document) {
        StrategySpec spec;
        try {
            spec = parse(document);
        } catch (IllegalArgumentException e) {
            return new Checked(null, List.of(e.getMessage()));
        }
        return new Checked(spec, compiler.problems(spec));
    }

    /**
     * What the console shows about a published document, worked out once when it arrives: its
     * version and variants when it is valid, and the job's problems with it.
     */
    private ObjectNode describe(String document) {
        Checked checked = check(document);
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        if (checked.problems().isEmpty()) {
            n.put("version", checked.spec().version);
            ArrayNode variants = n.putArray("variants");
            checked.spec().variants.forEach(v -> variants.add(v.name));
        }
        n.set("problems", JsonCodec.mapper().valueToTree(checked.problems()));
        return n;
    }

    private static StrategySpec parse(String document) {
        if (document.isBlank()) {
            throw new IllegalArgumentException(
                    "document: empty, expected a strategy in YAML or JSON");
        }
        return StrategyLoader.parse(document);
    }

    @Override
    public void close() throws InterruptedException {
        feed.close();
        producer.close(Duration.ofSeconds(2));
    }
}
