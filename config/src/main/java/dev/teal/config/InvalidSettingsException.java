package dev.teal.config;

import java.util.List;

/** STUB (launcher-demo branch, compile only): replaced by the config-loader branch's class. */
public final class InvalidSettingsException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
