package dev.teal.config;

import java.time.Duration;

/**
 * Passive health ({@code teal.upstream.passive-health}): a backend whose requests fail repeatedly is
 * ejected for a while, longer each time it is ejected again.
 *
 * @param consecutiveFailures refused connections, broken connections or 5xx answers in a row that
 *     eject a backend (default 5)
 * @param baseEjection the first ejection's length; each further one doubles it (default 5s)
 * @param maxEjection the longest ejection (default 2m)
 */
public record PassiveHealthSettings(int consecutiveFailures, Duration baseEjection, Duration maxEjection) {
    public PassiveHealthSettings {
        Checks.atLeast(consecutiveFailures, 1, "consecutive-failures");
        Checks.positive(baseEjection, "base-ejection");
        Checks.positive(maxEjection, "max-ejection");
        if (maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException(
                    "max-ejection: " + maxEjection + " (expected: >= base-ejection " + baseEjection + ")");
        }
    }
}
