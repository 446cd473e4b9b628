package dev.teal.admin.plan;

import static java.util.Objects.requireNonNull;

import dev.teal.config.PlanSettings;
import java.time.Instant;
import java.util.Optional;

/**
 * The plan at one moment, for {@code /status}, {@code /rollout} and the dashboard.
 *
 * @param plan the configured plan
 * @param run where it stands (stored)
 * @param verdict the last analysis of the current step, when one was made since it began
 * @param gate the gates' last answer for the current step
 * @param live what the plan is doing now, one sentence (the hold left, what it waits for)
 * @param now when this was taken
 */
public record PlanView(
        PlanSettings plan,
        PlanRun run,
        Optional<Verdict> verdict,
        Optional<CheckResult> gate,
        String live,
        Instant now) {
    public PlanView {
        requireNonNull(plan, "plan");
        requireNonNull(run, "run");
        requireNonNull(verdict, "verdict");
        requireNonNull(gate, "gate");
        requireNonNull(live, "live");
        requireNonNull(now, "now");
    }
}
