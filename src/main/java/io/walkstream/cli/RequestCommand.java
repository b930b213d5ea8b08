package io.walkstream.cli;

import io.walkstream.io.JsonCodec;
import io.walkstream.io.RecommendationSerializer;
import io.walkstream.io.WireJson;
import io.walkstream.model.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Sends one request and prints its answer, matched on the {@code requestId} header. */
@Command(name = "request", mixinStandardHelpOptions = true,
        description = "Send one recommendation request and print the answer.")
public class RequestCommand implements Callable<Integer> {
    static class Target {
        @Option(names = "--user", required = true, description = "Recommend for this user, e.g. u:1.")
        String user;
        @Option(names = "--item", required = true, description = "Items like this one (item-to-item), e.g. i:9.")
        String item;
    }

    @ArgGroup(multiplicity = "1")
    Target target;

    @Option(names = "--k", description = "Number of items (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = "--channel", description = "Channel, i.e. the strategy that answers (default: the job's default strategy).")
    String channel;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
    String bootstrap = "localhost:9092";

    @Option(names = "--requests-topic", description = "Default ${DEFAULT-VALUE}.")
    String requestsTopic = "requests";

    @Option(names = "--results-topic", description = "Default ${DEFAULT-VALUE}.")
    String resultsTopic = "recommendations";

    @Option(names = "--timeout", description = "Seconds to wait for the answer (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Override
    public Integer call() throws Exception {
        String id = "cli-" + UUID.randomUUID();
        Request r = target.user != null ? Request.forUser(id, target.user, k, System.currentTimeMillis())
                : Request.forItem(id, target.item, k, System.currentTimeMillis());
        r.channel = channel;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
            // Position at the end of every results partition before sending, so the answer cannot be missed.
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(resultsTopic, Duration.ofSeconds(timeoutSeconds))
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            producer.send(new ProducerRecord<>(requestsTopic, id.getBytes(StandardCharsets.UTF_8), WireJson.request(r))).get();
            long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    Header h = rec.headers().lastHeader(RecommendationSerializer.REQUEST_ID_HEADER);
                    if (h != null && id.equals(new String(h.value(), StandardCharsets.UTF_8))) {
                        System.out.println(JsonCodec.mapper().writerWithDefaultPrettyPrinter()
                                .writeValueAsString(JsonCodec.mapper().readTree(rec.value())));
                        return 0;
                    }
                }
            }
        }
        System.err.printf("no answer to %s within %d s (is the job running on %s?)%n", id, timeoutSeconds, bootstrap);
        return 1;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // works for both delivery modes
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
