package dev.teal.config;

import java.util.List;

/**
 * Settings that cannot be used, with every problem found: each names the setting's path, the value and
 * what was expected ({@code teal.split.green: 140 (expected: an integer percentage 0-100)}). The launcher
 * prints the message and exits with status 2.
 */
public final class InvalidSettingsException extends Exception {
    private final List<String> problems;

    InvalidSettingsException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, at least one, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        String heading = problems.size() == 1
                ? "invalid settings (1 problem):"
                : "invalid settings (" + problems.size() + " problems):";
        return heading + "\n  " + String.join("\n  ", problems);
    }
}
