package io.walkstream.model;

import java.util.Locale;

/**
 * What a user did to an item (or to another user), and what that means for the graph.
 *
 * <p>Graph actions become weighted user–item edges that walks travel on. Feedback actions (dislike,
 * hide) and impressions only change the user's profile in the Seed step: they filter results, they
 * never attract walkers. {@link #ATTRIBUTE} is internal: the edge between an item and its category,
 * brand or tag.
 */
public enum Action {
    VIEW(Role.EDGE),
    CLICK(Role.EDGE),
    LIKE(Role.EDGE),
    CART(Role.EDGE),
    PURCHASE(Role.EDGE),
    SHARE(Role.EDGE),
    RATE(Role.EDGE),
    DISLIKE(Role.NEGATIVE),
    HIDE(Role.NEGATIVE),
    IMPRESSION(Role.SERVED),
    FOLLOW(Role.FOLLOW),
    ATTRIBUTE(Role.EDGE);

    /** How an action changes the graph. */
    public enum Role {
        EDGE,
        NEGATIVE,
        SERVED,
        FOLLOW
    }

    private static final Action[] BY_CODE = values();

    private final Role role;

    Action(Role role) {
        this.role = role;
    }

    public Role role() {
        return role;
    }

    /** Compact form kept in state and in messages. */
    public byte code() {
        return (byte) ordinal();
    }

    public static Action ofCode(byte code) {
        return BY_CODE[code];
    }

    /** The wire name, lower case ("purchase"). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; null when it is not an action a client may send. */
    public static Action parse(String name) {
        if (name == null) {
            return null;
        }
        for (Action a : BY_CODE) {
            if (a != ATTRIBUTE && a.wireName().equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }
}
