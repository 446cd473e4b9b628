package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Connections from teal to the backends ({@code teal.upstream}).
 *
 * @param maxIdlePerBackend idle keep-alive connections kept per backend and per event loop (default 64)
 * @param idleTimeout how long an idle pooled connection is kept before it is closed (default 30s; keep it
 *     below the backends' own keep-alive timeout)
 * @param passiveHealth ejection of failing backends
 */
public record UpstreamSettings(int maxIdlePerBackend, Duration idleTimeout, PassiveHealthSettings passiveHealth) {
    public UpstreamSettings {
        Checks.atLeast(maxIdlePerBackend, 0, "max-idle-per-backend");
        Checks.positive(idleTimeout, "idle-timeout");
        requireNonNull(passiveHealth, "passiveHealth");
    }
}
