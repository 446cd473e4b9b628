package dev.teal.admin.plan;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a release plan stands.
 *
 * <pre>
 *   idle ──start──▶ running ──last step passed──▶ completed
 *                    │  ▲ └──a check failed (on-failure = rollback)──▶ rolled-back
 *              pause │  │ resume
 *                    ▼  │
 *                   paused ──abort (from running too)──▶ aborted
 * </pre>
 */
public enum PlanState {
    /** No plan was started in this state directory. */
    IDLE,
    /** Holding at a step, judging it, or moving to the next. */
    RUNNING,
    /** Stopped where it is until resumed: by the operator, a manual ramp, a failing check or a refused step. */
    PAUSED,
    /** Every step passed; new has 100 % (old drains and the contract runs as for any ramp). */
    COMPLETED,
    /** A check failed and the split went back to old. */
    ROLLED_BACK,
    /** Stopped by the operator; the split stays where it was. */
    ABORTED;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the plan may still move traffic (running or paused). */
    public boolean active() {
        return this == RUNNING || this == PAUSED;
    }

    static Optional<PlanState> parse(String id) {
        for (PlanState s : values()) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id();
    }
}
