package dev.teal.config;

import java.util.Locale;
import java.util.Optional;

/** One of the two deployments teal fronts. */
public enum Color {
    BLUE,
    GREEN;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in configuration, cookies, metrics and the admin API. */
    public String id() {
        return id;
    }

    public Color other() {
        return this == BLUE ? GREEN : BLUE;
    }

    /** Parses {@code blue} or {@code green} (exact, lower case); anything else is empty. */
    public static Optional<Color> parse(String id) {
        if ("blue".equals(id)) {
            return Optional.of(BLUE);
        }
        if ("green".equals(id)) {
            return Optional.of(GREEN);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id;
    }
}
