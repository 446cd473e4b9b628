package dev.teal.admin.state;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a rollout stands. The transition table is explicit so that the migration-phase work can add
 * states (e.g. contracted) by adding rows, not by rewriting the rules.
 */
public enum RolloutState {
    /** One color has 100 % of the split and the other is drained: no rollout under way. */
    SETTLED,
    /** The split is between the colors (or back at 0 % for {@code new}, waiting for it to drain). */
    RAMPING,
    /** {@code new} has 100 %; {@code old} is draining. */
    DRAINING;

    private static final Map<RolloutState, Set<RolloutState>> NEXT = Map.of(
            SETTLED, EnumSet.of(RAMPING, DRAINING),
            RAMPING, EnumSet.of(DRAINING, SETTLED),
            DRAINING, EnumSet.of(RAMPING, SETTLED));

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in the state file and the admin API. */
    public String id() {
        return id;
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
