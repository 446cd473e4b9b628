package dev.teal.config;

import static java.util.Objects.requireNonNull;

/**
 * A value that does not parse, carrying what was expected instead, so that {@link SettingsLoader} can
 * report it under the setting's path ({@code teal.listen: "0.0.0.0:http" (expected: ...)}) while the
 * public parse methods still just throw an {@link IllegalArgumentException}.
 */
final class UnexpectedValueException extends IllegalArgumentException {
    private final String expected;

    UnexpectedValueException(String value, String expected) {
        super("'" + value + "' (expected: " + expected + ")");
        this.expected = requireNonNull(expected, "expected");
    }

    /** What the value should have looked like, e.g. {@code host:port, such as 0.0.0.0:8080}. */
    String expected() {
        return expected;
    }
}
