package io.walkstream.serve;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Calls waiting for their answer, by request id, with a hard bound: when it is full a new call is
 * refused at once (the caller answers 429) instead of queueing. An entry leaves the map, and frees
 * its slot, exactly once: when its future completes for any reason (answer, deadline, send
 * failure).
 */
final class PendingCalls {
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> calls =
            new ConcurrentHashMap<>();
    private final Semaphore slots;
    private final int capacity;

    PendingCalls(int capacity) {
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
    }

    /** A future for the answer to {@code requestId}, or null when the bound is reached. */
    CompletableFuture<byte[]> register(String requestId) {
        if (!slots.tryAcquire()) {
            return null;
        }
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        calls.put(requestId, answer);
        answer.whenComplete(
                (v, e) -> {
                    if (calls.remove(requestId, answer)) {
                        slots.release();
                    }
                });
        return answer;
    }

    /** Hands an answer to its waiting call; false when no call of this instance waits for it. */
    boolean complete(String requestId, byte[] answer) {
        CompletableFuture<byte[]> f = calls.get(requestId);
        return f != null && f.complete(answer);
    }

    int size() {
        return capacity - slots.availablePermits();
    }

    int capacity() {
        return capacity;
    }
}
