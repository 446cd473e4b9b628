package dev.teal.admin.plan;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One check of a step's analysis.
 *
 * @param check which: {@code sessions}, {@code error_rate}, {@code error_rate_vs_old}, {@code p99_vs_old},
 *     {@code webhooks}
 * @param outcome pass, fail, not judged yet, or skipped (nothing to compare with)
 * @param value what was measured, as text (a share, a ratio, a count)
 * @param threshold what it is held to, as text
 * @param why one sentence with the numbers
 */
public record CheckResult(String check, Outcome outcome, String value, String threshold, String why) {
    /** A check's outcome; the metric {@code teal_analysis_result} shows it as 1, 0 or -1. */
    public enum Outcome {
        PASS,
        FAIL,
        NOT_JUDGED,
        SKIPPED;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        double gauge() {
            return this == PASS ? 1 : this == FAIL ? 0 : -1;
        }
    }

    public CheckResult {
        requireNonNull(check, "check");
        requireNonNull(outcome, "outcome");
        requireNonNull(value, "value");
        requireNonNull(threshold, "threshold");
        requireNonNull(why, "why");
    }
}
