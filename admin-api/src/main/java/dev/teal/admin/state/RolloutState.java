package dev.teal.admin.state;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a rollout stands. The transition table is explicit: a rollout moves between these states along
 * its rows only (a ramp away from a completed rollout starts the next rollout instead).
 */
public enum RolloutState {
    /** One color has 100 % of the split and the other is drained: no rollout under way. */
    SETTLED,
    /** The split is between the colors. */
    RAMPING,
    /** {@code new} has 100 %; {@code old} is draining. */
    DRAINING,
    /** {@code new} is back at 0 % and drains: once it has drained the rollout is settled on {@code old}. */
    ROLLING_BACK,
    /**
     * {@code old} drained and the old-drained phases (the contract) succeeded: {@code new} is live, and
     * {@code old}'s code no longer fits the schema, so only a next release may take traffic there.
     */
    CONTRACTED;

    private static final Map<RolloutState, Set<RolloutState>> NEXT = Map.of(
            SETTLED, EnumSet.of(RAMPING, DRAINING),
            // ramping -> settled: a state file of a version before rolling-back, ramping at 0 %.
            RAMPING, EnumSet.of(DRAINING, ROLLING_BACK, SETTLED),
            DRAINING, EnumSet.of(RAMPING, ROLLING_BACK, SETTLED, CONTRACTED),
            ROLLING_BACK, EnumSet.of(RAMPING, DRAINING, SETTLED),
            CONTRACTED, EnumSet.of(RAMPING, DRAINING));

    private final String id = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The lower-case name used in the state file and the admin API. */
    public String id() {
        return id;
    }

    /** Whether the rollout is over: one color is live and the next ramp starts the next rollout. */
    public boolean complete() {
        return this == SETTLED || this == CONTRACTED;
    }

    /** Whether a rollout in this state may move to {@code next}. */
    public boolean canMoveTo(RolloutState next) {
        return NEXT.get(this).contains(next);
    }

    /** The states this one may move to, for error messages. */
    Set<RolloutState> next() {
        return NEXT.get(this);
    }

    public static Optional<RolloutState> parse(String id) {
        for (RolloutState state : values()) {
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
