package io.walkstream.rank;

import io.walkstream.model.Action;
import java.util.List;
import java.util.Locale;

/** The sentences a product can show next to a recommendation. */
final class Reasons {
    private Reasons() {}

    /** "bought i:1" — what the user did to a seed item. */
    static String did(byte action, String item) {
        String verb =
                switch (Action.ofCode(action)) {
                    case VIEW -> "viewed";
                    case CLICK -> "clicked";
                    case LIKE -> "liked";
                    case CART -> "added to your cart";
                    case PURCHASE -> "bought";
                    case SHARE -> "shared";
                    case RATE -> "rated";
                    default -> "interacted with";
                };
        return verb + " " + item;
    }

    static String becauseYou(List<String> did) {
        return "because you " + String.join(", ", did);
    }

    static String similarTo(List<String> items) {
        return "similar to " + String.join(", ", items);
    }

    static String paths(int contexts, int walks) {
        String through = "reached through " + contexts + (contexts == 1 ? " context" : " contexts");
        // Walks counts whole walkers; an item can be reached by a share of one (the last hop
        // spreads mass).
        return walks == 0
                ? through
                : through + " (" + walks + (walks == 1 ? " walk" : " walks") + ")";
    }

    /** The item is what users often acted on next after these seed items (transition edges). */
    static String oftenNextAfter(List<String> items) {
        return "often next after " + String.join(", ", items);
    }

    static String followed() {
        return "liked by people you follow";
    }

    static String closeTo() {
        return "close to items you interacted with";
    }

    static String popularIn(String category) {
        return category == null ? "popular right now" : "popular in " + category;
    }

    static String similarity(double cosine) {
        return String.format(Locale.ROOT, "vector similarity %.2f", cosine);
    }
}
