package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The migration plan ({@code teal.rollout}): the phases attached to the points of a rollout, and the
 * data source their SQL scripts migrate.
 *
 * @param datasource where sql phases apply their scripts; empty when none is configured (then no phase
 *     is of kind sql)
 * @param phaseTimeout how long a phase may run unless it sets its own timeout (default 30m)
 * @param phases the plan, in plan order (default none)
 * @param plan the release plan that walks a rollout by itself (default: none)
 */
public record RolloutSettings(
        Optional<DataSourceSettings> datasource, Duration phaseTimeout, List<PhaseSettings> phases, PlanSettings plan) {
    public RolloutSettings {
        requireNonNull(datasource, "datasource");
        requireNonNull(plan, "plan");
        Checks.positive(phaseTimeout, "rollout.phase-timeout");
        phases = List.copyOf(phases);
        Set<String> names = new HashSet<>();
        for (PhaseSettings phase : phases) {
            if (!names.add(phase.name())) {
                throw new IllegalArgumentException(
                        "rollout.phases: " + phase.name() + " twice (expected: each phase name once)");
            }
            if (phase.kind() instanceof PhaseSettings.Sql && datasource.isEmpty()) {
                throw new IllegalArgumentException("rollout.phases: " + phase.name()
                        + " is an sql phase but rollout.datasource.url is empty (expected: a JDBC URL)");
            }
        }
    }

    /** Phases without a release plan. */
    public RolloutSettings(Optional<DataSourceSettings> datasource, Duration phaseTimeout, List<PhaseSettings> phases) {
        this(datasource, phaseTimeout, phases, PlanSettings.none());
    }

    /** No phases, no data source and no release plan: the default. */
    public static RolloutSettings none() {
        return new RolloutSettings(Optional.empty(), Duration.ofMinutes(30), List.of());
    }

    /** These settings with {@code plan} as the release plan. */
    public RolloutSettings withPlan(PlanSettings plan) {
        return new RolloutSettings(datasource, phaseTimeout, phases, plan);
    }
}
