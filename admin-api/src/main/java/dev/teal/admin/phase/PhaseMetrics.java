package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code teal_phase_runs_total{phase,outcome}} and {@code teal_phase_duration_seconds{phase}}, registered
 * once for every phase of the plan when teal starts (so a dashboard sees zeros, not gaps), never per run.
 * Label values are the plan's phase names and the four ways a run ends: bounded sets.
 */
final class PhaseMetrics {
    private static final List<PhaseState> OUTCOMES =
            List.of(PhaseState.SUCCEEDED, PhaseState.FAILED, PhaseState.TIMED_OUT, PhaseState.INTERRUPTED);

    private final Map<String, Map<PhaseState, Counter>> runs = new HashMap<>();
    private final Map<String, Timer> durations = new HashMap<>();

    PhaseMetrics(MeterRegistry registry, PhasePlan plan) {
        requireNonNull(registry, "registry");
        for (Phase phase : plan.phases()) {
            Map<PhaseState, Counter> counters = new EnumMap<>(PhaseState.class);
            for (PhaseState outcome : OUTCOMES) {
                counters.put(
                        outcome,
                        Counter.builder("teal.phase.runs")
                                .description("Migration phase runs, by how they ended")
                                .tag("phase", phase.name())
                                .tag("outcome", outcome.id())
                                .register(registry));
            }
            runs.put(phase.name(), counters);
            durations.put(
                    phase.name(),
                    Timer.builder("teal.phase.duration")
                            .description("How long migration phase runs took")
                            .tag("phase", phase.name())
                            .register(registry));
        }
    }

    void record(String phase, PhaseState outcome, Duration took) {
        Counter counter = runs.get(phase).get(outcome);
        if (counter != null) {
            counter.increment();
        }
        durations.get(phase).record(took);
    }
}
