package dev.teal.admin.rollout;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.Split;

/**
 * What the operator asked for.
 *
 * @param target the split to move to
 * @param dryRun answer what would change, change nothing
 * @param force also move the sessions pinned to the color left at 0 %
 * @param nextRelease the operator says the idle color now runs a new release: after a contracted rollout,
 *     only such a ramp may send traffic back to that color
 */
public record RampRequest(Split target, boolean dryRun, boolean force, boolean nextRelease) {
    public RampRequest {
        requireNonNull(target, "target");
        if (force && !target.allTo(Color.BLUE) && !target.allTo(Color.GREEN)) {
            throw new IllegalArgumentException("force: true with green " + target.green()
                    + " (expected: force only with a ramp to 0 or 100, which leaves one color without share)");
        }
    }

    public RampRequest(Split target, boolean dryRun, boolean force) {
        this(target, dryRun, force, false);
    }
}
