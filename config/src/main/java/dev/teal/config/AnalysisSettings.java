package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * The checks a release plan makes before each step ({@code teal.rollout.plan.analysis}), over teal's own
 * per-color counters on one sliding window.
 *
 * @param maxErrorRate the largest share of {@code new}'s responses that may be 5xx, 0-1 (default 0.01)
 * @param maxErrorRateVsOld how many times {@code old}'s 5xx share over the same window {@code new}'s may be
 *     (default 2)
 * @param maxP99VsOld how many times {@code old}'s 99th percentile latency {@code new}'s may be (default 1.5)
 * @param p99Tolerance a p99 at most this much above old's passes whatever the ratio: below a few
 *     milliseconds the ratio measures noise (a connection set up, a pause), not the release (default 5ms)
 * @param window the sliding window the counters are read over (default 5m, at most 24h)
 * @param webhooks gates asked before each step; every one must answer 2xx (default none)
 */
public record AnalysisSettings(
        double maxErrorRate,
        double maxErrorRateVsOld,
        double maxP99VsOld,
        Duration p99Tolerance,
        Duration window,
        List<PlanSettings.Webhook> webhooks) {
    /** The longest window the data plane keeps counters for. */
    public static final Duration MAX_WINDOW = Duration.ofHours(24);

    public AnalysisSettings {
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException(
                    "rollout.plan.analysis.max-error-rate: " + maxErrorRate + " (expected: 0-100 %)");
        }
        if (!(maxErrorRateVsOld >= 1) || Double.isInfinite(maxErrorRateVsOld)) {
            throw new IllegalArgumentException(
                    "rollout.plan.analysis.max-error-rate-vs-old: " + maxErrorRateVsOld + " (expected: >= 1x)");
        }
        if (!(maxP99VsOld >= 1) || Double.isInfinite(maxP99VsOld)) {
            throw new IllegalArgumentException(
                    "rollout.plan.analysis.max-p99-vs-old: " + maxP99VsOld + " (expected: >= 1x)");
        }
        requireNonNull(p99Tolerance, "p99Tolerance");
        if (p99Tolerance.isNegative()) {
            throw new IllegalArgumentException(
                    "rollout.plan.analysis.p99-tolerance: " + p99Tolerance + " (expected: >= 0)");
        }
        Checks.positive(window, "rollout.plan.analysis.window");
        if (window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("rollout.plan.analysis.window: " + window + " (expected: at most 24h)");
        }
        webhooks = List.copyOf(requireNonNull(webhooks, "webhooks"));
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(0.01, 2, 1.5, Duration.ofMillis(5), Duration.ofMinutes(5), List.of());
    }
}
