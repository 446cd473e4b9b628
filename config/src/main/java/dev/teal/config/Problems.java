package dev.teal.config;

import java.util.ArrayList;
import java.util.List;

/** The problems found while loading one set of settings, in the order found; one per load. */
final class Problems {
    private final List<String> found = new ArrayList<>();

    /** Adds {@code path: value (expected: expected)}. */
    void add(String path, String value, String expected) {
        found.add(path + ": " + value + " (expected: " + expected + ")");
    }

    /** Adds {@code path: value (expected one of: a, b, c)}. */
    void addOneOf(String path, String value, List<String> accepted) {
        found.add(path + ": " + value + " (expected one of: " + String.join(", ", accepted) + ")");
    }

    /** Adds a problem already phrased as path, value and expectation. */
    void add(String problem) {
        found.add(problem);
    }

    int count() {
        return found.size();
    }

    void throwIfAny() throws InvalidSettingsException {
        if (!found.isEmpty()) {
            throw new InvalidSettingsException(found);
        }
    }
}
