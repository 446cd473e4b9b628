package dev.teal.admin.plan;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.plan.CheckResult.Outcome;
import dev.teal.config.AnalysisSettings;
import dev.teal.proxy.ColorTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a step from teal's own counters: new's 5xx share against the limit and against old's on the same
 * window, new's p99 against old's. Nothing is judged until {@code min-sessions} sessions reached new during
 * the step: too little traffic is "not judged yet", never a pass (and never a failure either, so a handful
 * of unlucky requests cannot roll a release back).
 */
final class Analysis {
    static final String SESSIONS = "sessions";
    static final String ERROR_RATE = "error_rate";
    static final String ERROR_RATE_VS_OLD = "error_rate_vs_old";
    static final String P99_VS_OLD = "p99_vs_old";
    static final String WEBHOOKS = "webhooks";
    /** Below this many responses, a 99th percentile is only the slowest request or two. */
    static final int LATENCY_SAMPLES = 100;

    static final List<String> CHECKS = List.of(SESSIONS, ERROR_RATE, ERROR_RATE_VS_OLD, P99_VS_OLD, WEBHOOKS);

    private final AnalysisSettings settings;
    private final int minSessions;

    Analysis(AnalysisSettings settings, int minSessions) {
        this.settings = requireNonNull(settings, "settings");
        this.minSessions = minSessions;
    }

    Verdict judge(Instant at, ColorTraffic old, ColorTraffic neu, long sessions) {
        List<CheckResult> checks = new ArrayList<>();
        boolean enough = sessions >= minSessions;
        checks.add(new CheckResult(
                SESSIONS,
                enough ? Outcome.PASS : Outcome.NOT_JUDGED,
                Long.toString(sessions),
                ">= " + minSessions,
                enough
                        ? sessions + " sessions reached " + neu.color() + " during the step (at least " + minSessions
                                + ")"
                        : "not judged yet: " + sessions + " of " + minSessions + " sessions reached " + neu.color()
                                + " during the step"));
        String window = " over " + human(neu.window());
        if (neu.requests() == 0) {
            checks.add(notJudged(
                    ERROR_RATE, percent(settings.maxErrorRate()), neu.color() + " answered nothing" + window));
            checks.add(notJudged(
                    ERROR_RATE_VS_OLD,
                    factor(settings.maxErrorRateVsOld()),
                    neu.color() + " answered nothing" + window));
            checks.add(
                    notJudged(P99_VS_OLD, factor(settings.maxP99VsOld()), neu.color() + " answered nothing" + window));
        } else {
            checks.add(errorRate(neu, window, enough));
            checks.add(errorRateVsOld(old, neu, window, enough));
            checks.add(p99VsOld(old, neu, window, enough));
        }
        Outcome outcome;
        if (checks.stream().anyMatch(c -> c.outcome() == Outcome.NOT_JUDGED)) {
            outcome = Outcome.NOT_JUDGED;
        } else if (checks.stream().anyMatch(c -> c.outcome() == Outcome.FAIL)) {
            outcome = Outcome.FAIL;
        } else {
            outcome = Outcome.PASS;
        }
        return new Verdict(at, outcome, checks, old, neu, sessions);
    }

    private CheckResult errorRate(ColorTraffic neu, String window, boolean enough) {
        double rate = neu.errorRate();
        boolean ok = rate <= settings.maxErrorRate();
        String why = neu.color() + " answered " + neu.errors() + " 5xx of " + neu.requests() + " (" + percent(rate)
                + ")" + window + ", limit " + percent(settings.maxErrorRate());
        return new CheckResult(
                ERROR_RATE, outcome(ok, enough), percent(rate), "<= " + percent(settings.maxErrorRate()), why);
    }

    private CheckResult errorRateVsOld(ColorTraffic old, ColorTraffic neu, String window, boolean enough) {
        String threshold = "<= " + factor(settings.maxErrorRateVsOld()) + " " + old.color() + "'s";
        if (old.requests() == 0) {
            return new CheckResult(
                    ERROR_RATE_VS_OLD,
                    Outcome.SKIPPED,
                    "-",
                    threshold,
                    old.color() + " answered nothing" + window + ": nothing to compare with");
        }
        double limit = old.errorRate() * settings.maxErrorRateVsOld();
        boolean ok = neu.errorRate() <= limit;
        String why = neu.color() + " " + percent(neu.errorRate()) + " 5xx against " + old.color() + " "
                + percent(old.errorRate()) + window + ", at most " + factor(settings.maxErrorRateVsOld()) + " ("
                + percent(limit) + ")";
        String value = old.errorRate() == 0
                ? (neu.errorRate() == 0 ? "1.00x" : "inf")
                : factor(neu.errorRate() / old.errorRate());
        return new CheckResult(ERROR_RATE_VS_OLD, outcome(ok, enough), value, threshold, why);
    }

    private CheckResult p99VsOld(ColorTraffic old, ColorTraffic neu, String window, boolean enough) {
        String threshold = "<= " + factor(settings.maxP99VsOld()) + " " + old.color() + "'s";
        if (neu.requests() < LATENCY_SAMPLES && old.requests() > 0) {
            return notJudged(
                    P99_VS_OLD,
                    threshold,
                    neu.color() + " answered " + neu.requests() + " of the " + LATENCY_SAMPLES
                            + " requests a 99th percentile needs" + window);
        }
        if (old.requests() > 0 && old.requests() < LATENCY_SAMPLES) {
            return new CheckResult(
                    P99_VS_OLD,
                    Outcome.SKIPPED,
                    "-",
                    threshold,
                    old.color() + " answered " + old.requests() + " requests" + window + ", too few for a 99th"
                            + " percentile to compare with");
        }
        if (old.p99().isEmpty() || neu.p99().isEmpty()) {
            return new CheckResult(
                    P99_VS_OLD,
                    Outcome.SKIPPED,
                    "-",
                    threshold,
                    old.color() + " answered nothing" + window + ": nothing to compare with");
        }
        double ratio = (double) neu.p99().get().toNanos() / old.p99().get().toNanos();
        Duration above = neu.p99().get().minus(old.p99().get());
        boolean ok = ratio <= settings.maxP99VsOld() || above.compareTo(settings.p99Tolerance()) <= 0;
        String why = neu.color() + " p99 " + millis(neu.p99().get()) + " against " + old.color() + " "
                + millis(old.p99().get()) + window + " (" + factor(ratio) + ", at most "
                + factor(settings.maxP99VsOld()) + " or " + millis(settings.p99Tolerance()) + " above)";
        return new CheckResult(P99_VS_OLD, outcome(ok, enough), factor(ratio), threshold, why);
    }

    private static Outcome outcome(boolean ok, boolean enough) {
        return !enough ? Outcome.NOT_JUDGED : ok ? Outcome.PASS : Outcome.FAIL;
    }

    private static CheckResult notJudged(String check, String threshold, String why) {
        return new CheckResult(check, Outcome.NOT_JUDGED, "-", threshold, "not judged yet: " + why);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f %%", share * 100);
    }

    static String factor(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
