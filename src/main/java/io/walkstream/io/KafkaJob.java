package io.walkstream.io;

import io.walkstream.WalkstreamJob;
import io.walkstream.config.JobConfig;
import io.walkstream.config.KafkaConfig;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.strategy.StrategyRejected;
import io.walkstream.strategy.StrategyUpdate;
import io.walkstream.walk.Watermarks;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The whole Kafka job: four sources read raw records (the two event topics with a watermark per
 * partition), parsers split them into good records and dead letters, {@link WalkstreamJob} answers
 * the requests under the strategies in force, two sinks write answers and dead letters.
 *
 * <pre>
 * interactions ─► parse ─┐ events
 * items ────────► parse ─┤──────────► WalkstreamJob ─► metrics ─► recommendations
 * requests ─────► parse ─┼─ requests ──────┤
 * strategies ───► strategy updates ────────┘
 *                        └─ rejected records, rejected strategies ─► dead-letters
 * </pre>
 */
public final class KafkaJob {
    /** Kafka clients' default request.timeout.ms, which the job leaves as it is. */
    static final long REQUEST_TIMEOUT_MS = 30_000;

    private KafkaJob() {}

    /** A topic of events, parsed; malformed records go to dead letters. */
    private static SingleOutputStreamOperator<Event> parsedEvents(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            String topic,
            ParseEvents.Topic kind,
            String uid) {
        return readEvents(env, cfg, topic, kind)
                .process(
                        new ParseEvents(
                                kind,
                                topic,
                                cfg.embedding.suppliedDim,
                                cfg.embedding.maxSuppliedDim))
                .name("parse " + topic)
                .uid(uid);
    }

    /** Adds the job's sources, dataflow and sinks to {@code env}. */
    public static void attach(JobConfig cfg, StreamExecutionEnvironment env) {
        attach(cfg, env, UnaryOperator.identity());
    }

    /**
     * As {@link #attach(JobConfig, StreamExecutionEnvironment)}, with {@code beforeSink} applied to
     * the answers on their way into the recommendations sink. A seam for tests only (a failure
     * injected next to the transactional sink); the identity, which the one-argument form passes,
     * adds no operator: the job graph is exactly the production one.
     */
    public static void attach(
            JobConfig cfg,
            StreamExecutionEnvironment env,
            UnaryOperator<DataStream<Recommendation>> beforeSink) {
        KafkaConfig k = cfg.kafka;

        SingleOutputStreamOperator<Event> interactions =
                parsedEvents(
                        env,
                        cfg,
                        k.interactionsTopic,
                        ParseEvents.Topic.INTERACTIONS,
                        "parse-interactions");
        SingleOutputStreamOperator<Event> items =
                parsedEvents(env, cfg, k.itemsTopic, ParseEvents.Topic.ITEMS, "parse-items");
        // The request source heads the chain that sends requests to Seed: its buffer timeout is
        // the first of the request's shuffles (walk.bufferTimeoutMs; the other topics keep the
        // job's).
        SingleOutputStreamOperator<Request> requests =
                WalkstreamJob.walkLatency(cfg, read(env, k, k.requestsTopic))
                        .process(new ParseRequests(cfg.rank.maxK, k.requestsTopic))
                        .name("parse " + k.requestsTopic)
                        .uid("parse-requests");

        // The control topic is read from the group's offsets, or from the beginning for a new
        // group: a new deployment sees every published strategy version.
        DataStream<StrategyUpdate> strategyUpdates =
                read(env, k, k.strategiesTopic, startOffsets(KafkaConfig.StartOffsets.COMMITTED))
                        .map(KafkaJob::strategyUpdate)
                        .name("strategy-updates")
                        .uid("strategy-updates");
        WalkstreamJob.Outputs outputs =
                WalkstreamJob.build(
                        cfg,
                        interactions.union(items),
                        requests,
                        strategyUpdates,
                        WalkstreamJob.EventTime.FROM_SOURCE);
        DataStream<Recommendation> results =
                outputs.results()
                        .map(new ResultMetrics())
                        .name("result-metrics")
                        .uid("result-metrics");
        beforeSink
                .apply(results)
                .sinkTo(sink(k, new RecommendationSerializer(k.recommendationsTopic), "results"))
                .name("sink " + k.recommendationsTopic)
                .uid("sink-recommendations");

        DataStream<DeadLetter> rejectedStrategies =
                outputs.rejectedStrategies()
                        .map(KafkaJob::deadLetter)
                        .name("rejected-strategies")
                        .uid("rejected-strategies");
        interactions
                .getSideOutput(DeadLetters.TAG)
                .union(
                        items.getSideOutput(DeadLetters.TAG),
                        requests.getSideOutput(DeadLetters.TAG),
                        rejectedStrategies)
                .sinkTo(sink(k, new DeadLetterSerializer(k.deadLettersTopic), "dead-letters"))
                .name("sink " + k.deadLettersTopic)
                .uid("sink-dead-letters");
    }

    /** A strategy document read from Kafka, with where it came from. */
    static StrategyUpdate strategyUpdate(KafkaRecord r) {
        StrategyUpdate u = new StrategyUpdate();
        u.payload = r.value == null ? new byte[0] : r.value;
        u.topic = r.topic;
        u.partition = r.partition;
        u.offset = r.offset;
        u.timestamp = r.timestamp;
        return u;
    }

    /** A rejected strategy update as a dead letter on the dead-letter topic. */
    static DeadLetter deadLetter(StrategyRejected rejected) {
        StrategyUpdate u = rejected.update;
        KafkaRecord r = new KafkaRecord();
        r.topic = u.topic;
        r.partition = u.partition;
        r.offset = u.offset;
        r.timestamp = u.timestamp;
        r.value = u.payload;
        return DeadLetter.of(r, rejected.reason, System.currentTimeMillis());
    }

    static SingleOutputStreamOperator<KafkaRecord> read(
            StreamExecutionEnvironment env, KafkaConfig k, String topic) {
        return read(env, k, topic, startOffsets(k.startOffsets));
    }

    static SingleOutputStreamOperator<KafkaRecord> read(
            StreamExecutionEnvironment env, KafkaConfig k, String topic, OffsetsInitializer start) {
        // Requests and strategy updates never hold event time back: no watermarks from these
        // sources.
        return env.fromSource(
                        source(k, topic, start, new RawRecordDeserializer()),
                        WatermarkStrategy.noWatermarks(),
                        "kafka " + topic)
                .uid("source-" + topic);
    }

    /**
     * An event topic, parsed in the source, with a watermark per Kafka partition (bounded
     * out-of-orderness, idle partitions excluded after {@code walk.idleTimeoutMs}).
     */
    static DataStream<KafkaRecord> readEvents(
            StreamExecutionEnvironment env, JobConfig cfg, String topic, ParseEvents.Topic kind) {
        KafkaConfig k = cfg.kafka;
        WatermarkStrategy<KafkaRecord> perPartition =
                Watermarks.events(cfg.walk, (r, previous) -> EventRecordDeserializer.eventTime(r));
        return env.fromSource(
                        source(
                                k,
                                topic,
                                startOffsets(k.startOffsets),
                                new EventRecordDeserializer(
                                        kind,
                                        cfg.embedding.suppliedDim,
                                        cfg.embedding.maxSuppliedDim)),
                        perPartition,
                        "kafka " + topic)
                .uid("source-" + topic);
    }

    private static KafkaSource<KafkaRecord> source(
            KafkaConfig k,
            String topic,
            OffsetsInitializer start,
            KafkaRecordDeserializationSchema<KafkaRecord> deserializer) {
        return KafkaSource.<KafkaRecord>builder()
                .setProperties(
                        k.clientProperties(
                                Map.of(
                                        "partition.discovery.interval.ms",
                                        Long.toString(k.partitionDiscoveryMs),
                                        "client.id.prefix",
                                        k.groupId + "-" + topic,
                                        // Partition discovery (the enumerator's admin client) fails
                                        // the job when no broker has
                                        // answered for this long; the consumer's own fetches just
                                        // wait. Never below the request
                                        // timeout (30 s), which the admin client would otherwise
                                        // raise it to with a warning.
                                        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                        Long.toString(
                                                Math.max(
                                                        k.outageToleranceMs, REQUEST_TIMEOUT_MS)))))
                .setTopics(topic)
                .setGroupId(k.groupId)
                .setStartingOffsets(start)
                .setDeserializer(deserializer)
                .build();
    }

    @SuppressWarnings(
            "deprecation") // connector 5.0 only takes kafka-clients' deprecated OffsetResetStrategy
    static OffsetsInitializer startOffsets(KafkaConfig.StartOffsets s) {
        return switch (s) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    static <T> KafkaSink<T> sink(
            KafkaConfig k, KafkaRecordSerializationSchema<T> serializer, String name) {
        Map<String, String> producer =
                new HashMap<>(
                        Map.of(
                                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                                ProducerConfig.LINGER_MS_CONFIG, "5"));
        // Through a broker outage: send() waits up to max.block.ms for metadata (clients drop what
        // they knew when no broker answers), as do InitProducerId and the transaction commit; a
        // record already buffered waits up to delivery.timeout.ms. Past either the job fails and
        // restarts.
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(k.outageToleranceMs));
        producer.put(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                Long.toString(k.outageToleranceMs + REQUEST_TIMEOUT_MS));
        var builder = KafkaSink.<T>builder().setRecordSerializer(serializer);
        if (k.delivery == KafkaConfig.Delivery.EXACTLY_ONCE) {
            producer.put(
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    Long.toString(k.transactionTimeoutMs));
            builder.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(k.transactionalIdPrefix + "-" + name);
        } else {
            builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
        }
        return builder.setKafkaProducerConfig(k.clientProperties(producer)).build();
    }
}
