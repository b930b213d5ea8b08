package io.walkstream.io;

/** A parsed and validated record, or the reason it was rejected (for the dead-letter topic). */
public record Parsed<T>(T value, String error) {
    public static <T> Parsed<T> ok(T value) {
        return new Parsed<>(value, null);
    }

    public static <T> Parsed<T> rejected(String error) {
        return new Parsed<>(null, error);
    }

    public boolean isOk() {
        return error == null;
    }
}
