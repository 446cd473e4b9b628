package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The backends of one color ({@code teal.colors.blue}, {@code teal.colors.green}).
 *
 * @param color which color
 * @param backends its instances, at least one
 * @param healthCheck active health checking of those instances
 */
public record ColorSettings(Color color, List<Backend> backends, HealthCheckSettings healthCheck) {
    public ColorSettings {
        requireNonNull(color, "color");
        requireNonNull(healthCheck, "healthCheck");
        backends = List.copyOf(requireNonNull(backends, "backends"));
        if (backends.isEmpty()) {
            throw new IllegalArgumentException(color + ".backends: [] (expected: at least one host:port)");
        }
        if (backends.stream().distinct().count() != backends.size()) {
            throw new IllegalArgumentException(color + ".backends: " + backends + " (expected: no duplicates)");
        }
    }
}
