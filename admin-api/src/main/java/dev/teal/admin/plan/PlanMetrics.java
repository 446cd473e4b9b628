package dev.teal.admin.plan;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code teal_rollout_step} (the step the plan is at, from 1; 0 when no plan is active) and {@code
 * teal_analysis_result{check}} (1 pass, 0 fail, -1 not judged yet or skipped), read from the runner.
 */
final class PlanMetrics {
    private PlanMetrics() {}

    static void bind(MeterRegistry registry, PlanRunner runner) {
        Gauge.builder("teal.rollout.step", runner, PlanRunner::stepNumber)
                .description("The release plan's current step, from 1; 0 when no plan is running or paused")
                .strongReference(true)
                .register(registry);
        for (String check : Analysis.CHECKS) {
            Gauge.builder("teal.analysis.result", runner, r -> r.checkGauge(check))
                    .description("The last analysis of the plan's step: 1 pass, 0 fail, -1 not judged yet or skipped")
                    .tag("check", check)
                    .strongReference(true)
                    .register(registry);
        }
    }
}
