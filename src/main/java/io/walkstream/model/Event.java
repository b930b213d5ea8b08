package io.walkstream.model;

/**
 * One validated input event, as it travels inside the job: an interaction (user → item), a follow
 * (user → user) or item metadata. A single flat POJO rather than a class hierarchy, so Flink
 * serialises it with its POJO serializer and never falls back to Kryo.
 */
public class Event {
    public static final byte INTERACTION = 0;
    public static final byte FOLLOW = 1;
    public static final byte ITEM = 2;

    public byte kind;
    public String user;
    public String item;

    /** {@link Action#code()} of an interaction. */
    public byte action;

    public String followee;
    public long ts;
    public float weight = 1f;
    public String category;
    public String brand;
    public String[] tags;

    /** Vector supplied by an offline model; null when the item has none. */
    public float[] embedding;

    /**
     * Version of the offline model that produced {@link #embedding} (e.g. "sage-1a2b3c4d"); null
     * when unnamed.
     */
    public String model;

    public Event() {}

    public static Event interaction(
            String user, String item, Action action, long ts, float weight) {
        Event e = new Event();
        e.kind = INTERACTION;
        e.user = user;
        e.item = item;
        e.action = action.code();
        e.ts = ts;
        e.weight = weight;
        return e;
    }

    public static Event interaction(String user, String item, Action action, long ts) {
        return interaction(user, item, action, ts, 1f);
    }

    public static Event follow(String user, String followee, long ts) {
        Event e = new Event();
        e.kind = FOLLOW;
        e.user = user;
        e.followee = followee;
        e.action = Action.FOLLOW.code();
        e.ts = ts;
        return e;
    }

    public static Event item(
            String item, String category, String brand, String[] tags, float[] embedding, long ts) {
        Event e = new Event();
        e.kind = ITEM;
        e.item = item;
        e.category = category;
        e.brand = brand;
        e.tags = tags;
        e.embedding = embedding;
        e.ts = ts;
        return e;
    }

    public Action actionType() {
        return Action.ofCode(action);
    }

    /**
     * An interaction that says the user wanted the item: not a dislike, hide, impression or follow.
     */
    public boolean isPositive() {
        if (kind != INTERACTION) {
            return false;
        }
        Action a = actionType();
        return a != Action.DISLIKE
                && a != Action.HIDE
                && a != Action.IMPRESSION
                && a != Action.FOLLOW;
    }

    public long getTs() {
        return ts;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case INTERACTION -> user + " " + actionType().wireName() + " " + item + " @" + ts;
            case FOLLOW -> user + " follows " + followee + " @" + ts;
            default -> "item " + item + " category=" + category + " brand=" + brand + " @" + ts;
        };
    }
}
