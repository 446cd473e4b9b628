package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How one run of a phase ended.
 *
 * @param state succeeded, failed, timed out or interrupted
 * @param detail one line on the outcome: the script's error, the exit code, the status received
 * @param output the tail of what it printed (or answered, or Flyway reported)
 * @param versions the SQL scripts applied, for an sql phase; empty otherwise
 */
record PhaseResult(PhaseState state, String detail, String output, List<AppliedVersion> versions) {
    PhaseResult {
        requireNonNull(state, "state");
        if (!state.ended() || state == PhaseState.SKIPPED) {
            throw new IllegalArgumentException("state: " + state + " (expected: how a run ends)");
        }
        requireNonNull(detail, "detail");
        requireNonNull(output, "output");
        versions = List.copyOf(versions);
    }

    static PhaseResult of(PhaseState state, String detail, String output) {
        return new PhaseResult(state, detail, output, List.of());
    }
}
