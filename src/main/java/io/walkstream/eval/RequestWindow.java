package io.walkstream.eval;

import io.walkstream.model.Request;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.streaming.api.functions.source.legacy.RichSourceFunction;

/**
 * Feeds an evaluation's requests into the job in a sliding window: at most {@code size} requests
 * are open (sent, not yet answered) at once. Under END_OF_INPUT alignment every request otherwise
 * walks at the same moment — when the replay ends — and Rank holds every request's walkers at once
 * (an ML-1M evaluation at 10,000 walkers peaked at 14.7 GB). The driver reads the answers and
 * {@link #answered() reports} each one; the source releases request {@code i} once {@code i − size}
 * requests have been answered. The source stays open until it has sent the last request;
 * END_OF_INPUT gates wait for the end of the events only, so the waiting source does not hold
 * walkers back. Answers do not depend on when a request is released: after the replay the graph no
 * longer changes.
 *
 * <p>The window and its requests live in this JVM (a local mini cluster), found by a token; the
 * source function carries only the token.
 */
public final class RequestWindow implements AutoCloseable {
    private static final Map<String, RequestWindow> OPEN = new ConcurrentHashMap<>();

    private final String token = UUID.randomUUID().toString();
    private final int size;
    private final List<Request> requests;
    private int answered;
    private boolean closed;

    public RequestWindow(int size, List<Request> requests) {
        if (size < 1) {
            throw new IllegalArgumentException("request window must be >= 1, got " + size);
        }
        this.size = size;
        this.requests = List.copyOf(requests);
        OPEN.put(token, this);
    }

    /** The source of the requests, gated by this window. */
    public Source source() {
        return new Source(token);
    }

    /** One more request answered: the window moves on by one. */
    public synchronized void answered() {
        answered++;
        notifyAll();
    }

    /**
     * Blocks until request {@code index} may be sent; false when the window was closed (the run is
     * over).
     */
    synchronized boolean awaitTurn(int index) throws InterruptedException {
        while (!closed && index >= answered + size) {
            wait(200);
        }
        return !closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
        OPEN.remove(token);
    }

    /** Emits the requests in order, each when the window allows it. */
    public static final class Source extends RichSourceFunction<Request> {
        private static final long serialVersionUID = 1L;
        private final String token;
        private volatile boolean running = true;

        Source(String token) {
            this.token = token;
        }

        @Override
        public void run(SourceContext<Request> ctx) throws Exception {
            RequestWindow window = OPEN.get(token);
            if (window == null) {
                throw new IllegalStateException(
                        "request window " + token + " is not open in this JVM");
            }
            for (int i = 0; i < window.requests.size() && running; i++) {
                if (!window.awaitTurn(i)) {
                    return;
                }
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(window.requests.get(i));
                }
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
