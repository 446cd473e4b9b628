package dev.teal.admin.plan;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.Rollout;
import dev.teal.config.Color;
import dev.teal.config.PlanSettings;
import dev.teal.proxy.ColorTraffic;
import dev.teal.proxy.TrafficControl;
import java.time.Instant;

/**
 * The plan's analysis on demand, for an orchestrator that drives the ramps itself (an Argo Rollouts web
 * metric, a Flagger webhook): the current rollout's {@code new} against {@code old} over the plan's window,
 * with the sessions started on {@code new} since teal started counted against {@code min-sessions}.
 */
public final class RolloutAnalysis {
    private RolloutAnalysis() {}

    public static Verdict judge(PlanSettings plan, TrafficControl control, Rollout rollout, Instant now) {
        requireNonNull(plan, "plan");
        requireNonNull(control, "control");
        requireNonNull(rollout, "rollout");
        Color newColor = rollout.newColor();
        ColorTraffic old = control.traffic(newColor.other(), plan.analysis().window());
        ColorTraffic neu = control.traffic(newColor, plan.analysis().window());
        return new Analysis(plan.analysis(), plan.minSessions()).judge(now, old, neu, neu.sessionsStarted());
    }
}
