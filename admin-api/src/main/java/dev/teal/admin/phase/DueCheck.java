package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.DurableState;
import dev.teal.config.Color;
import dev.teal.config.PhaseTrigger;
import dev.teal.proxy.ColorSnapshot;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.TrafficSnapshot;

/**
 * Whether the point of the rollout a phase is attached to still holds, for a run by hand: a contract
 * re-run after the operator ramped back would break the old version, an undo re-run while the new
 * version has sessions would break those. The others are the operator's call: gating phases prepare for
 * traffic that has not moved yet, and an {@code after} phase may have to run below its point when the
 * operator ramped back meanwhile.
 */
final class DueCheck {
    private final DurableState current;
    private final TrafficSnapshot snapshot;

    DueCheck(DurableState current, TrafficSnapshot snapshot) {
        this.current = requireNonNull(current, "current");
        this.snapshot = requireNonNull(snapshot, "snapshot");
    }

    /** @throws PhaseRunRefusedException naming the point and where the rollout stands instead */
    void require(Phase phase, RolloutRef rollout) {
        PhaseTrigger trigger = phase.settings().trigger();
        String named = "phase " + phase.name() + " (" + trigger + ")";
        int share = current.split().percent(rollout.newColor());
        switch (trigger.type()) {
            case OLD_DRAINED -> {
                if (share != 100
                        || !drained(rollout.oldColor())
                        || current.rollout().state().complete()) {
                    throw new PhaseRunRefusedException(named + " runs only once " + rollout.oldColor()
                            + " has drained with " + rollout.newColor() + " at 100 %; " + rollout.newColor() + " has "
                            + share + " % and " + rollout.oldColor() + " is " + describe(rollout.oldColor()));
                }
            }
            case ROLLED_BACK -> {
                if (share != 0 || !drained(rollout.newColor())) {
                    throw new PhaseRunRefusedException(named + " runs only once " + rollout.newColor()
                            + " has drained after a ramp back to 0 %; it has " + share + " % and is "
                            + describe(rollout.newColor()));
                }
            }
            default -> {
                // before and after phases: the operator decides.
            }
        }
    }

    private boolean drained(Color color) {
        ColorSnapshot snapshot = this.snapshot.color(color);
        return snapshot != null && snapshot.drain() == DrainState.DRAINED;
    }

    private String describe(Color color) {
        ColorSnapshot snapshot = this.snapshot.color(color);
        return snapshot == null
                ? "unknown"
                : snapshot.drain().id() + " with " + snapshot.activeSessions() + " active sessions";
    }
}
