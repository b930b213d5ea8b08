package io.walkstream.strategy;

import java.nio.charset.StandardCharsets;

/**
 * A new strategy version as it arrives on the control stream, with where it came from (for dead
 * letters).
 */
public class StrategyUpdate {
    public byte[] payload;
    public String topic;
    public int partition = -1;
    public long offset = -1;
    public long timestamp = -1;

    public StrategyUpdate() {}

    public static StrategyUpdate of(String document) {
        StrategyUpdate u = new StrategyUpdate();
        u.payload = document.getBytes(StandardCharsets.UTF_8);
        return u;
    }
}
