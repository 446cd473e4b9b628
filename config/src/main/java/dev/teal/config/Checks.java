package dev.teal.config;

import java.time.Duration;

/** Argument checks for the settings records' compact constructors: name, value, what was expected. */
final class Checks {
    private Checks() {}

    static Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
        return value;
    }

    static long atLeast(long value, long min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
        return value;
    }

    static int percent(int value, String name) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 0-100)");
        }
        return value;
    }
}
