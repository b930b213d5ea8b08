package io.walkstream.cli;

import io.walkstream.config.ConfigLoader;
import io.walkstream.config.KafkaConfig;
import io.walkstream.io.JsonCodec;
import io.walkstream.io.RecommendationSerializer;
import io.walkstream.io.WireJson;
import io.walkstream.model.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Sends one request and prints its answer, matched on the {@code requestId} header. */
@Command(
        name = "request",
        mixinStandardHelpOptions = true,
        description = "Send one recommendation request and print the answer.")
public class RequestCommand implements Callable<Integer> {
    static class Target {
        @Option(
                names = "--user",
                required = true,
                description = "Recommend for this user, e.g. u:1.")
        String user;

        @Option(
                names = "--item",
                required = true,
                description = "Items like this one (item-to-item), e.g. i:9.")
        String item;
    }

    @ArgGroup(multiplicity = "1")
    Target target;

    @Option(names = "--k", description = "Number of items (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(
            names = "--channel",
            description =
                    "Channel, i.e. the strategy that answers (default: the job's default strategy).")
    String channel;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Job configuration: its kafka section gives broker, topics and client properties (security).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "SECTION.FIELD=VALUE",
            description =
                    "Override one field, e.g. --set kafka.properties.sasl.mechanism=PLAIN (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--bootstrap",
            description = "Kafka bootstrap servers (default: the configuration's, localhost:9092).")
    String bootstrap;

    @Option(names = "--requests-topic", description = "Default: the configuration's, requests.")
    String requestsTopic;

    @Option(
            names = "--results-topic",
            description = "Default: the configuration's, recommendations.")
    String resultsTopic;

    @Option(
            names = "--timeout",
            description = "Seconds to wait for the answer (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Override
    public Integer call() throws Exception {
        String id = "cli-" + UUID.randomUUID();
        Request r =
                target.user != null
                        ? Request.forUser(id, target.user, k, System.currentTimeMillis())
                        : Request.forItem(id, target.item, k, System.currentTimeMillis());
        r.channel = channel;
        KafkaConfig kafka = kafka();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka);
                KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            // Position at the end of every results partition before sending, so the answer cannot
            // be missed.
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(kafka.recommendationsTopic, Duration.ofSeconds(timeoutSeconds))
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            producer.send(
                            new ProducerRecord<>(
                                    kafka.requestsTopic,
                                    id.getBytes(StandardCharsets.UTF_8),
                                    WireJson.request(r)))
                    .get();
            long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    Header h = rec.headers().lastHeader(RecommendationSerializer.REQUEST_ID_HEADER);
                    if (h != null && id.equals(new String(h.value(), StandardCharsets.UTF_8))) {
                        System.out.println(
                                JsonCodec.mapper()
                                        .writerWithDefaultPrettyPrinter()
                                        .writeValueAsString(
                                                JsonCodec.mapper().readTree(rec.value())));
                        return 0;
                    }
                }
            }
        }
        System.err.printf(
                "no answer to %s within %d s (is the job running on %s?)%n",
                id, timeoutSeconds, kafka.bootstrapServers);
        return 1;
    }

    /** The configuration's kafka section, with the broker and topic options over it. */
    private KafkaConfig kafka() throws IOException {
        Map<String, String> o = new LinkedHashMap<>(overrides);
        if (bootstrap != null) {
            o.put("kafka.bootstrapServers", bootstrap);
        }
        if (requestsTopic != null) {
            o.put("kafka.requestsTopic", requestsTopic);
        }
        if (resultsTopic != null) {
            o.put("kafka.recommendationsTopic", resultsTopic);
        }
        return (config == null ? ConfigLoader.parse("", o) : ConfigLoader.load(config, o)).kafka;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaConfig kafka) {
        Properties p =
                kafka.clientProperties(
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                        "read_committed")); // works for both delivery modes
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaConfig kafka) {
        return new KafkaProducer<>(
                kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }
}
