package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import dev.teal.proxy.TrafficSnapshot;
import java.time.Instant;

/**
 * One move of live traffic from {@code old} to {@code new}, and where it stands. Immutable: every event
 * returns the next value. When settled, the record keeps the last rollout's id and colors (id 0: none
 * yet), and the split says which color is live.
 *
 * <pre>
 *   settled ──ramp away──▶ ramping ──new at 100 %──▶ draining ──old drained──▶ settled
 *                             ▲  └──new back at 0 %──▶ rolling-back ──new drained──▶ settled
 *                             └─────────new below 100 % again───────┘  └──old drained, contract done──▶ contracted
 * </pre>
 *
 * <p>Settled and contracted are complete: the next ramp away starts the next rollout.
 *
 * @param id the rollout's number, counting from 1 in this state directory; 0 before the first
 * @param oldColor the color traffic moves away from
 * @param newColor the color traffic moves to
 * @param state where it stands
 * @param startedAt when the rollout started (for id 0: when the state directory was created)
 * @param changedAt when {@code state} last changed
 */
public record Rollout(
        long id, Color oldColor, Color newColor, RolloutState state, Instant startedAt, Instant changedAt) {
    public Rollout {
        if (id < 0) {
            throw new IllegalArgumentException("rollout id: " + id + " (expected: >= 0)");
        }
        requireNonNull(oldColor, "oldColor");
        requireNonNull(newColor, "newColor");
        requireNonNull(state, "state");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(changedAt, "changedAt");
        if (oldColor == newColor) {
            throw new IllegalArgumentException(
                    "rollout " + id + ": old and new are both " + oldColor + " (expected: two different colors)");
        }
        if (id == 0 && state != RolloutState.SETTLED) {
            throw new IllegalArgumentException("rollout 0: " + state + " (expected: settled; rollouts count from 1)");
        }
    }

    /**
     * The rollout for a state directory that starts at {@code split}: settled when one color has it all,
     * else rollout 1 from blue to green, already ramping.
     */
    public static Rollout initial(Split split, Instant now) {
        for (Color live : Color.values()) {
            if (split.allTo(live)) {
                return new Rollout(0, live.other(), live, RolloutState.SETTLED, now, now);
            }
        }
        return new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.RAMPING, now, now);
    }

    /**
     * The rollout after the split moved from {@code from} to {@code to}: a ramp away from a settled
     * state starts the next rollout; {@code new} reaching 100 % starts the drain of {@code old}; {@code new}
     * back at 0 % rolls back (it drains); anything in between is ramping.
     */
    public Rollout afterRamp(Split from, Split to, Instant now) {
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        requireNonNull(now, "now");
        if (from.equals(to)) {
            return this;
        }
        switch (state) {
            case SETTLED:
            case CONTRACTED: {
                Color live = from.allTo(Color.BLUE) ? Color.BLUE : Color.GREEN;
                Color next = live.other();
                RolloutState started = to.allTo(next) ? RolloutState.DRAINING : RolloutState.RAMPING;
                return new Rollout(id + 1, live, next, started, now, now);
            }
            case RAMPING:
            case DRAINING:
            case ROLLING_BACK: {
                RolloutState next = to.allTo(newColor)
                        ? RolloutState.DRAINING
                        : to.allTo(oldColor) ? RolloutState.ROLLING_BACK : RolloutState.RAMPING;
                return next == state ? this : moveTo(next, now);
            }
            default:
                throw new IllegalStateException("rollout " + id + ": unknown state " + state);
        }
    }

    /**
     * The rollout under {@code split} once the data plane reports {@code snapshot}: settled when {@code
     * new} has 100 % and {@code old} has drained (done), or {@code old} has 100 % again and {@code new}
     * has drained (rolled back).
     */
    public Rollout afterObserving(Split split, TrafficSnapshot snapshot, Instant now) {
        requireNonNull(split, "split");
        requireNonNull(snapshot, "snapshot");
        if (state == RolloutState.DRAINING && split.allTo(newColor) && drained(snapshot, oldColor)) {
            return moveTo(RolloutState.SETTLED, now);
        }
        if ((state == RolloutState.ROLLING_BACK || state == RolloutState.RAMPING)
                && split.allTo(oldColor)
                && drained(snapshot, newColor)) {
            return moveTo(RolloutState.SETTLED, now);
        }
        return this;
    }

    /**
     * The rollout once its old-drained phases (the contract) succeeded with {@code old} drained.
     *
     * @throws IllegalStateException unless draining
     */
    public Rollout contracted(Instant now) {
        requireNonNull(now, "now");
        return moveTo(RolloutState.CONTRACTED, now);
    }

    /** The color that has all new sessions once settled. */
    public Color liveWhenSettled(Split split) {
        return split.allTo(newColor) ? newColor : oldColor;
    }

    private static boolean drained(TrafficSnapshot snapshot, Color color) {
        return snapshot.color(color) != null && snapshot.color(color).drain() == DrainState.DRAINED;
    }

    private Rollout moveTo(RolloutState next, Instant now) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(
                    "rollout " + id + ": " + state + " -> " + next + " (expected one of: " + state.next() + ")");
        }
        return new Rollout(id, oldColor, newColor, next, startedAt, now);
    }

    /**
     * Checks that this rollout fits {@code split}: settled needs one color at 100 %, draining needs
     * {@code new} at 100 %.
     *
     * @throws IllegalArgumentException naming the mismatch
     */
    void checkFits(Split split) {
        if (state == RolloutState.CONTRACTED && !split.allTo(newColor)) {
            throw new IllegalArgumentException("rollout " + id + " is contracted but " + newColor + " has "
                    + split.percent(newColor) + " % (expected: 100)");
        }
        if (state == RolloutState.SETTLED && !split.allTo(Color.BLUE) && !split.allTo(Color.GREEN)) {
            throw new IllegalArgumentException(
                    "rollout " + id + " is settled but the split is green " + split.green() + " (expected: 0 or 100)");
        }
        if (state == RolloutState.ROLLING_BACK && !split.allTo(oldColor)) {
            throw new IllegalArgumentException("rollout " + id + " is rolling back to " + oldColor + " but " + oldColor
                    + " has " + split.percent(oldColor) + " % (expected: 100)");
        }
        if (state == RolloutState.DRAINING && !split.allTo(newColor)) {
            throw new IllegalArgumentException("rollout " + id + " is draining " + oldColor + " but " + newColor
                    + " has " + split.percent(newColor) + " % (expected: 100)");
        }
    }
}
