package io.walkstream.strategy;

/** A strategy update that was not applied, and why; the strategy in force keeps serving. */
public class StrategyRejected {
    public StrategyUpdate update;
    public String reason;

    public StrategyRejected() {}

    public StrategyRejected(StrategyUpdate update, String reason) {
        this.update = update;
        this.reason = reason;
    }
}
