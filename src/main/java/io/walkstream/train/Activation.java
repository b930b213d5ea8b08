package io.walkstream.train;

import java.util.Locale;

/** Element-wise activations of the trainer's layers, with their derivatives for backpropagation. */
public enum Activation {
    LINEAR,
    RELU,
    LEAKY_RELU,
    TANH,
    SIGMOID;

    float apply(float x) {
        return switch (this) {
            case LINEAR -> x;
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : 0.01f * x;
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) (1 / (1 + Math.exp(-x)));
        };
    }

    /**
     * d activation / d x, from the input {@code x} and the output {@code y} (cheaper for tanh and
     * sigmoid).
     */
    float derivative(float x, float y) {
        return switch (this) {
            case LINEAR -> 1;
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : 0.01f;
            case TANH -> 1 - y * y;
            case SIGMOID -> y * (1 - y);
        };
    }

    /**
     * {@code relu}, {@code leaky_relu} (or {@code leaky-relu}), {@code tanh}, {@code sigmoid},
     * {@code linear}.
     */
    public static Activation parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown activation '" + s + "' (relu, leaky_relu, tanh, sigmoid, linear)");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
