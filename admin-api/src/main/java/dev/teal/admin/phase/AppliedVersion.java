package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One SQL script Flyway applied in a phase, and how long it took: long ones are the scripts that are not
 * safe to run online.
 *
 * @param version the script's version ({@code 1}, {@code 2.1})
 * @param description from its name ({@code add full name})
 * @param took how long it ran
 */
public record AppliedVersion(String version, String description, Duration took) {
    public AppliedVersion {
        requireNonNull(version, "version");
        requireNonNull(description, "description");
        requireNonNull(took, "took");
    }

    @Override
    public String toString() {
        return "V" + version + " " + description + " (" + took.toMillis() + " ms)";
    }
}
