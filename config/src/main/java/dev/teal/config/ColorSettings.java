package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The backends of one color ({@code teal.colors.blue}, {@code teal.colors.green}).
 *
 * @param color which color
 * @param backends its instances listed as addresses (with discovery, the data plane is given these plus
 *     what discovery found, through {@link #withBackends})
 * @param discovery DNS names whose records are further instances ({@code dns://}, {@code dns+srv://});
 *     at least one backend or one name in all
 * @param healthCheck active health checking of those instances
 */
public record ColorSettings(
        Color color, List<Backend> backends, List<DnsSource> discovery, HealthCheckSettings healthCheck) {
    public ColorSettings {
        requireNonNull(color, "color");
        requireNonNull(healthCheck, "healthCheck");
        backends = List.copyOf(requireNonNull(backends, "backends"));
        discovery = List.copyOf(requireNonNull(discovery, "discovery"));
        if (backends.isEmpty() && discovery.isEmpty()) {
            throw new IllegalArgumentException(
                    color + ".backends: [] (expected: at least one host:port or dns://name:port)");
        }
        if (backends.stream().distinct().count() != backends.size()) {
            throw new IllegalArgumentException(color + ".backends: " + backends + " (expected: no duplicates)");
        }
        if (discovery.stream().distinct().count() != discovery.size()) {
            throw new IllegalArgumentException(color + ".backends: " + discovery + " (expected: each name once)");
        }
    }

    /** Listed backends only, no discovery. */
    public ColorSettings(Color color, List<Backend> backends, HealthCheckSettings healthCheck) {
        this(color, backends, List.of(), healthCheck);
    }

    /**
     * The same settings with another list of backends in force: the listed ones and what discovery found
     * for the names, which stay. An empty list is valid here when the color has names: discovery found none.
     */
    public ColorSettings withBackends(List<Backend> inForce) {
        if (inForce.isEmpty() && discovery.isEmpty()) {
            throw new IllegalArgumentException(color + ": no backends and no discovery");
        }
        return new ColorSettings(color, inForce, discovery, healthCheck);
    }
}
