package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * The release plan ({@code teal.rollout.plan}): the steps an automatic rollout walks, how long it holds at
 * each, and what it checks before the next. Written in terms of {@code new} (the color gaining share), so
 * one plan serves both directions.
 *
 * @param steps the percentages of new sessions sent to {@code new}, strictly increasing, ending at 100;
 *     empty: no plan (the default), and {@code /rollout/start} is refused
 * @param hold the time at each step before it is judged, unless the step sets its own (default 10m)
 * @param minSessions how many sessions must have started on {@code new} during a step before it is judged
 *     (default 200); fewer is "not judged yet", never a pass
 * @param analysis the checks, over teal's own per-color counters
 * @param onFailure what a failing check does: roll back to {@code old}, or pause (default rollback)
 * @param rollbackForce whether an automatic rollback also moves the sessions pinned to {@code new} at
 *     once, like {@code ramp?...&force=true} (default false: they stay until they idle out)
 * @param notifications webhooks told of every event of the plan, as JSON (default none)
 */
public record PlanSettings(
        List<Step> steps,
        Duration hold,
        int minSessions,
        AnalysisSettings analysis,
        OnFailure onFailure,
        boolean rollbackForce,
        List<Webhook> notifications) {
    /** What a failing check does. */
    public enum OnFailure {
        /** Back to {@code old} at 100 %, as {@code ramp} would (refused after the contract: then a pause). */
        ROLLBACK,
        /** The plan stops where it is until {@code /rollout/resume}. */
        PAUSE
    }

    /**
     * One step of the plan.
     *
     * @param percent percent of new sessions sent to {@code new}, 1-100
     * @param hold this step's own hold, overriding the plan's; null for the plan's
     */
    public record Step(int percent, Duration hold) {
        public Step {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("rollout.plan.steps: " + percent + " (expected: 1-100)");
            }
            if (hold != null) {
                Checks.positive(hold, "rollout.plan.steps[].hold");
            }
        }
    }

    /**
     * An HTTP endpoint teal calls: a gate asked before each step (a 2xx answer lets it go), or a
     * notification target.
     *
     * @param url an absolute http(s) URL
     * @param timeout how long teal waits for the answer
     */
    public record Webhook(java.net.URI url, Duration timeout) {
        public Webhook {
            requireNonNull(url, "url");
            Checks.positive(timeout, "webhook timeout");
        }
    }

    public PlanSettings {
        steps = List.copyOf(steps);
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).percent() <= steps.get(i - 1).percent()) {
                throw new IllegalArgumentException(
                        "rollout.plan.steps: " + percents(steps) + " (expected: strictly increasing percentages)");
            }
        }
        if (!steps.isEmpty() && steps.get(steps.size() - 1).percent() != 100) {
            throw new IllegalArgumentException(
                    "rollout.plan.steps: " + percents(steps) + " (expected: the last step at 100)");
        }
        Checks.positive(hold, "rollout.plan.hold");
        Checks.atLeast(minSessions, 0, "rollout.plan.min-sessions");
        requireNonNull(analysis, "analysis");
        requireNonNull(onFailure, "onFailure");
        notifications = List.copyOf(notifications);
    }

    /** No steps: the default, under which teal runs no automatic plan. */
    public static PlanSettings none() {
        return new PlanSettings(
                List.of(),
                Duration.ofMinutes(10),
                200,
                AnalysisSettings.defaults(),
                OnFailure.ROLLBACK,
                false,
                List.of());
    }

    /** Whether a plan is configured. */
    public boolean configured() {
        return !steps.isEmpty();
    }

    /** The hold of step {@code index} (from 0): its own, else the plan's. */
    public Duration holdOf(int index) {
        Step step = steps.get(index);
        return step.hold() == null ? hold : step.hold();
    }

    private static String percents(List<Step> steps) {
        return steps.stream().map(s -> Integer.toString(s.percent())).toList().toString();
    }
}
