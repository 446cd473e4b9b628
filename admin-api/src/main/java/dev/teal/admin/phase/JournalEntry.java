package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run of a phase, as the journal keeps it: written when the run starts (running) and again when it
 * ends.
 *
 * @param sequence the run's number in this state directory, counting from 1
 * @param rollout the rollout it ran in
 * @param oldColor that rollout's old color
 * @param newColor that rollout's new color
 * @param phase the phase's name
 * @param trigger its trigger, as the settings write it
 * @param kind sql, command or http
 * @param startedAt when it started
 * @param endedAt when it ended; empty while running
 * @param state running, or how it ended
 * @param detail one line on the outcome
 * @param output the tail of its output
 * @param versions the SQL scripts applied
 */
public record JournalEntry(
        long sequence,
        long rollout,
        Color oldColor,
        Color newColor,
        String phase,
        String trigger,
        String kind,
        Instant startedAt,
        Optional<Instant> endedAt,
        PhaseState state,
        String detail,
        String output,
        List<AppliedVersion> versions) {
    public JournalEntry {
        requireNonNull(oldColor, "oldColor");
        requireNonNull(newColor, "newColor");
        requireNonNull(phase, "phase");
        requireNonNull(trigger, "trigger");
        requireNonNull(kind, "kind");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(endedAt, "endedAt");
        requireNonNull(state, "state");
        requireNonNull(detail, "detail");
        requireNonNull(output, "output");
        versions = List.copyOf(versions);
        if (state == PhaseState.PENDING || state == PhaseState.QUEUED) {
            throw new IllegalArgumentException("state: " + state + " (expected: running, or how a run ended)");
        }
        if ((state == PhaseState.RUNNING) == endedAt.isPresent()) {
            throw new IllegalArgumentException("phase " + phase + ": " + state + " with endedAt " + endedAt
                    + " (expected: an end exactly when the run ended)");
        }
    }

    /** How long it ran; empty while running. */
    public Optional<Duration> duration() {
        return endedAt.map(end -> Duration.between(startedAt, end));
    }

    JournalEntry ended(Instant at, PhaseResult result) {
        return new JournalEntry(
                sequence,
                rollout,
                oldColor,
                newColor,
                phase,
                trigger,
                kind,
                startedAt,
                Optional.of(at),
                result.state(),
                result.detail(),
                result.output(),
                result.versions());
    }
}
