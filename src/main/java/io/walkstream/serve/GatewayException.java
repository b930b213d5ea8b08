package io.walkstream.serve;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A call the gateway refuses or cannot complete, with the kind that decides the HTTP status and
 * gRPC code.
 */
public final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        INVALID(400, "invalid_request"),
        TOO_LARGE(413, "body_too_large"),
        OVERLOADED(429, "overloaded"),
        UNAVAILABLE(503, "unavailable"),
        DEADLINE(504, "deadline_exceeded");

        public final int httpStatus;
        public final String code;

        Kind(int httpStatus, String code) {
            this.httpStatus = httpStatus;
            this.code = code;
        }
    }

    private final Kind kind;
    private final List<String> problems;

    public GatewayException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    /** With the problems one by one (each "field: what is wrong"), when a body has several. */
    public GatewayException(Kind kind, String message, List<String> problems) {
        super(message, null, false, false); // expected outcomes: no stack trace to fill
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> problems() {
        return problems;
    }

    /**
     * The GatewayException inside a CompletableFuture's wrapping, or an UNAVAILABLE one for
     * anything else.
     */
    public static GatewayException of(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof GatewayException g) {
            return g;
        }
        return new GatewayException(
                Kind.UNAVAILABLE, c.getClass().getSimpleName() + ": " + c.getMessage());
    }
}
