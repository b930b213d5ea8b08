package io.walkstream.io;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.nio.charset.StandardCharsets;

/**
 * A hand-made graph whose answers are obvious. Users 1–3 bought a and b; users 4–5 bought c and d;
 * a and b share category x, c and d category y. User 9 only viewed a. So:
 *
 * <ul>
 *   <li>for u:9 the only reachable unseen item is b (a is seen; c, d are in another component);
 *   <li>items like c: only d.
 * </ul>
 *
 * Events are timestamped at {@link #T}, requests at T + 10 s. Once the job has consumed the graph
 * ({@link KafkaTestBed#awaitConsumed}), {@link #sendTicks} pushes every partition's event time past
 * the requests, so with walk.alignment=WATERMARK each request sees exactly these events. Event time
 * is kept per Kafka partition in the sources, so a tick moves its partition's event time only past
 * the records before it on that partition.
 */
final class SmallShop {
    static final long T = System.currentTimeMillis() - 120_000;
    static final String USER_REQUEST = "r-user-9";
    static final String ITEM_REQUEST = "r-item-c";

    private SmallShop() {}

    static void sendGraph(KafkaTestBed bed, JobConfig cfg) throws Exception {
        String items = cfg.kafka.itemsTopic, interactions = cfg.kafka.interactionsTopic;
        bed.send(items, "i:a", WireJson.item(Event.item("i:a", "x", null, null, null, T)));
        bed.send(items, "i:b", WireJson.item(Event.item("i:b", "x", null, null, null, T)));
        bed.send(items, "i:c", WireJson.item(Event.item("i:c", "y", null, null, null, T)));
        bed.send(items, "i:d", WireJson.item(Event.item("i:d", "y", null, null, null, T)));
        for (int u = 1; u <= 3; u++) {
            buy(bed, interactions, "u:" + u, "i:a", u);
            buy(bed, interactions, "u:" + u, "i:b", u);
        }
        for (int u = 4; u <= 5; u++) {
            buy(bed, interactions, "u:" + u, "i:c", u);
            buy(bed, interactions, "u:" + u, "i:d", u);
        }
        bed.send(
                interactions,
                "u:9",
                WireJson.interaction(Event.interaction("u:9", "i:a", Action.VIEW, T + 100)));
    }

    static void sendRequests(KafkaTestBed bed, JobConfig cfg) throws Exception {
        bed.send(
                cfg.kafka.requestsTopic,
                USER_REQUEST,
                WireJson.request(Request.forUser(USER_REQUEST, "u:9", 5, T + 10_000)));
        bed.send(
                cfg.kafka.requestsTopic,
                ITEM_REQUEST,
                WireJson.request(Request.forItem(ITEM_REQUEST, "i:c", 5, T + 10_000)));
    }

    /**
     * One far-later event per partition of each event topic, on nodes connected to nothing else.
     */
    static void sendTicks(KafkaTestBed bed, JobConfig cfg) throws Exception {
        for (int p = 0; p < KafkaTestBed.PARTITIONS; p++) {
            bed.send(
                    cfg.kafka.interactionsTopic,
                    p,
                    "tick",
                    WireJson.interaction(
                            Event.interaction(
                                    "u:tick" + p, "i:tick" + p, Action.VIEW, T + 60_000)));
            bed.send(
                    cfg.kafka.itemsTopic,
                    p,
                    "tick",
                    WireJson.item(Event.item("i:tick" + p, "tick", null, null, null, T + 60_000)));
        }
    }

    private static void buy(KafkaTestBed bed, String topic, String user, String item, int i)
            throws Exception {
        bed.send(
                topic,
                user,
                WireJson.interaction(Event.interaction(user, item, Action.PURCHASE, T + i)));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
