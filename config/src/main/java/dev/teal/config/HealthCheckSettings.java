package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Active health checks of one color's backends ({@code teal.colors.<color>.health-check}).
 *
 * @param path the HTTP path to GET; empty disables active checks (the default)
 * @param interval time between two checks of one backend (default 5s)
 * @param timeout time a check may take, connect included (default 2s)
 * @param healthyThreshold consecutive passes that bring a backend back (default 2)
 * @param unhealthyThreshold consecutive failures that take a backend out (default 3)
 */
public record HealthCheckSettings(
        Optional<String> path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {
    public HealthCheckSettings {
        requireNonNull(path, "path");
        path.ifPresent(p -> {
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("path: '" + p + "' (expected: an absolute path starting with /)");
            }
        });
        Checks.positive(interval, "interval");
        Checks.positive(timeout, "timeout");
        Checks.atLeast(healthyThreshold, 1, "healthy-threshold");
        Checks.atLeast(unhealthyThreshold, 1, "unhealthy-threshold");
    }

    public boolean enabled() {
        return path.isPresent();
    }
}
