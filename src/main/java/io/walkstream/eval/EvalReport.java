package io.walkstream.eval;

import io.walkstream.config.JobConfig;
import java.util.List;
import java.util.Map;

/** One evaluation's figures and everything that produced them. */
public record EvalReport(
        Map<String, Object> parameters,
        JobConfig engineConfig,
        Map<String, Object> data,
        List<MethodResult> methods,
        long totalMs) {

    public MethodResult method(String prefix) {
        return methods.stream()
                .filter(m -> m.method().startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method " + prefix));
    }
}
