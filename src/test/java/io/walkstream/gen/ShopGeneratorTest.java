package io.walkstream.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import io.walkstream.model.Validation;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopGeneratorTest {
    @Test
    void producesAFunnelOfActionsPowerLawUsersAndNewItems() {
        ShopGenerator shop = new ShopGenerator(ShopGenerator.Params.defaults(), 1);
        int initial = shop.takeNewItems(0).size();
        Map<Action, Integer> actions = new EnumMap<>(Action.class);
        Map<String, Integer> perUser = new HashMap<>();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            Event e = shop.nextInteraction(1_700_000_000_000L + i);
            assertThat(Validation.check(e)).isEmpty();
            actions.merge(e.actionType(), 1, Integer::sum);
            perUser.merge(e.user, 1, Integer::sum);
        }
        int views = actions.get(Action.VIEW),
                clicks = actions.get(Action.CLICK),
                carts = actions.get(Action.CART),
                purchases = actions.get(Action.PURCHASE);
        assertThat(views).isBetween(n * 60 / 100, n * 85 / 100);
        assertThat(clicks).isGreaterThan(carts);
        assertThat(carts).isGreaterThan(purchases);
        assertThat(purchases).isBetween(n / 200, n / 20);
        assertThat(actions).containsKeys(Action.LIKE, Action.SHARE);

        // Power law: the top 1% of users produce far more than 1% of events.
        int[] counts = perUser.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        long top = 0;
        for (int i = counts.length - counts.length / 100; i < counts.length; i++) {
            top += counts[i];
        }
        assertThat((double) top / n).isGreaterThan(0.15);

        assertThat(initial).isEqualTo(ShopGenerator.Params.defaults().initialItems());
        assertThat(shop.takeNewItems(0))
                .hasSizeGreaterThan(n / ShopGenerator.Params.defaults().newItemEvery() - 2);
        Request r = shop.nextRequest(1_700_000_000_000L, 10);
        assertThat(Validation.check(r, 500)).isEmpty();
    }

    @Test
    void isDeterministicForASeed() {
        ShopGenerator a = new ShopGenerator(ShopGenerator.Params.defaults(), 9),
                b = new ShopGenerator(ShopGenerator.Params.defaults(), 9);
        for (int i = 0; i < 1000; i++) {
            assertThat(a.nextInteraction(i).toString()).isEqualTo(b.nextInteraction(i).toString());
        }
    }
}
