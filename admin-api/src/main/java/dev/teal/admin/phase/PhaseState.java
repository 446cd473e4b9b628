package dev.teal.admin.phase;

import java.util.Locale;
import java.util.Optional;

/** Where a phase stands in a rollout, and how a run ended. */
public enum PhaseState {
    /** Has not run in this rollout. */
    PENDING,
    /** Waits behind another phase of the same step. */
    QUEUED,
    /** Running now (or teal died while it ran: see {@link #INTERRUPTED}). */
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Ran past its timeout and was stopped. */
    TIMED_OUT,
    /** teal stopped while it ran; what it did is unknown until an operator looks. */
    INTERRUPTED,
    /** Not run because a phase before it in the same step failed. */
    SKIPPED;

    private final String id = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The lower-case name used in the journal, the admin API and the metrics. */
    public String id() {
        return id;
    }

    /** Whether a run ended this way (as opposed to pending, queued or running). */
    public boolean ended() {
        return this != PENDING && this != QUEUED && this != RUNNING;
    }

    /** Whether it ran and did not succeed: an operator must look before later steps go on. */
    public boolean unsuccessful() {
        return this == FAILED || this == TIMED_OUT || this == INTERRUPTED;
    }

    static Optional<PhaseState> parse(String id) {
        for (PhaseState state : values()) {
            if (state.id.equals(id)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id;
    }
}
