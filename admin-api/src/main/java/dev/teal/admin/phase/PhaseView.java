package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A phase of the plan as the admin API shows it: where it stands in a rollout, and its latest run there.
 *
 * @param name the phase
 * @param trigger as the settings write it
 * @param kind sql, command or http
 * @param gates whether it runs before traffic moves (a failure refuses the step)
 * @param state where it stands in the rollout
 * @param last its latest run in the rollout, when it ran
 */
public record PhaseView(
        String name, String trigger, String kind, boolean gates, PhaseState state, Optional<JournalEntry> last) {
    public PhaseView {
        requireNonNull(name, "name");
        requireNonNull(trigger, "trigger");
        requireNonNull(kind, "kind");
        requireNonNull(state, "state");
        requireNonNull(last, "last");
    }
}
