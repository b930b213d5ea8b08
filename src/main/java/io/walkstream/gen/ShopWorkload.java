package io.walkstream.gen;

import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.util.List;

/** The synthetic shop as an endless workload, timestamped with the wall clock. */
public final class ShopWorkload implements Workload {
    private final ShopGenerator shop;

    public ShopWorkload(ShopGenerator shop) {
        this.shop = shop;
    }

    @Override
    public List<Event> nextEvents(long now) {
        Event e = shop.nextInteraction(now);
        List<Event> out =
                shop.takeNewItems(now); // metadata before the first interaction with a new item
        out.add(e);
        return out;
    }

    @Override
    public Request nextRequest(long now, int k) {
        return shop.nextRequest(now, k);
    }

    @Override
    public boolean exhausted() {
        return false;
    }
}
