package io.walkstream.walk;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/** The one TTL policy for graph state: expire nodes not written for a while (processing time). */
final class StateTtl {
    private StateTtl() {}

    static StateTtlConfig of(long ttlMs) {
        return StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }
}
