package io.walkstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.ConfigLoader;
import io.walkstream.config.KafkaConfig;
import io.walkstream.gen.ShopGenerator;
import io.walkstream.gen.ShopWorkload;
import io.walkstream.io.EmbeddedKafka;
import io.walkstream.io.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's parts without the job: broker start, topic creation, the feeder sending the shop
 * through Kafka.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DemoComponentsTest {
    @Test
    void feederSendsAParseableShopWithAShareOfMalformedRecords() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaConfig topics =
                    ConfigLoader.parse(
                                    "", Map.of("kafka.bootstrapServers", kafka.bootstrapServers()))
                            .kafka;
            kafka.createTopics(
                    2, topics.interactionsTopic, topics.itemsTopic, topics.requestsTopic);
            try (var admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get())
                        .contains(
                                topics.interactionsTopic, topics.itemsTopic, topics.requestsTopic);
            }

            ShopGenerator.Params small =
                    new ShopGenerator.Params(500, 200, 10, 20, 1.05, 1.1, 100, 16);
            Feeder feeder =
                    new Feeder(
                            topics,
                            new ShopWorkload(new ShopGenerator(small, 7)),
                            new Feeder.Rates(3000, 50, 0.05, 10),
                            new WarmUp(0.5, 0.5, 100),
                            7);
            feeder.start();
            // Run until the feeder has sent enough of each kind (it paces by the clock, so how long
            // that takes depends on the machine), not for a fixed time.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(feeder.events.get() > 1000
                            && feeder.requests.get() > 10
                            && feeder.malformed.get() > 0)
                    && !feeder.finished()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            feeder.close();

            long total =
                    feeder.events.get()
                            + feeder.requests.get()
                            + feeder.warmupRequests.get()
                            + feeder.malformed.get();
            assertThat(feeder.events.get()).isGreaterThan(1000);
            assertThat(feeder.requests.get()).isGreaterThan(10);
            assertThat(feeder.malformed.get()).isPositive();

            long good = 0, bad = 0;
            for (ConsumerRecord<byte[], byte[]> r :
                    readAll(
                            kafka.bootstrapServers(),
                            total,
                            List.of(
                                    topics.interactionsTopic,
                                    topics.itemsTopic,
                                    topics.requestsTopic))) {
                boolean ok;
                if (r.topic().equals(topics.interactionsTopic)) {
                    ok = JsonCodec.parseInteraction(r.value()).isOk();
                } else if (r.topic().equals(topics.itemsTopic)) {
                    ok = JsonCodec.parseItem(r.value()).isOk();
                } else {
                    ok = JsonCodec.parseRequest(r.value(), 500).isOk();
                }
                if (ok) {
                    good++;
                } else {
                    bad++;
                }
            }
            // Every record the feeder meant to be good parses, every malformed one is rejected.
            assertThat(good)
                    .isEqualTo(
                            feeder.events.get()
                                    + feeder.requests.get()
                                    + feeder.warmupRequests.get());
            assertThat(bad).isEqualTo(feeder.malformed.get());
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            String bootstrap, long expected, List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "smoke");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertThat(out).hasSize((int) expected);
        return out;
    }
}
