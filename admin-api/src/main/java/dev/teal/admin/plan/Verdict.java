package dev.teal.admin.plan;

import static java.util.Objects.requireNonNull;

import dev.teal.proxy.ColorTraffic;
import java.time.Instant;
import java.util.List;

/**
 * A step's analysis at one moment: every check with its numbers, and what they add up to.
 *
 * @param at when it was made
 * @param outcome pass only when every check passed or was skipped; fail when one failed; not judged while
 *     too few sessions reached new (or new answered nothing)
 * @param checks each check
 * @param oldTraffic old's counters over the window
 * @param newTraffic new's counters over the same window
 * @param sessions sessions started on new during the step
 */
public record Verdict(
        Instant at,
        CheckResult.Outcome outcome,
        List<CheckResult> checks,
        ColorTraffic oldTraffic,
        ColorTraffic newTraffic,
        long sessions) {
    public Verdict {
        requireNonNull(at, "at");
        requireNonNull(outcome, "outcome");
        checks = List.copyOf(checks);
        requireNonNull(oldTraffic, "oldTraffic");
        requireNonNull(newTraffic, "newTraffic");
    }

    /** The failing checks' sentences, joined; or the first not-judged one's. */
    public String summary() {
        List<String> failed = checks.stream()
                .filter(c -> c.outcome() == CheckResult.Outcome.FAIL)
                .map(CheckResult::why)
                .toList();
        if (!failed.isEmpty()) {
            return String.join("; ", failed);
        }
        return checks.stream()
                .filter(c -> c.outcome() == CheckResult.Outcome.NOT_JUDGED)
                .map(CheckResult::why)
                .findFirst()
                .orElse("every check passed");
    }
}
