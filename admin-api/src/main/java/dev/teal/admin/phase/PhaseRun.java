package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a phase: the rollout it belongs to and how long it may take.
 *
 * @param rollout the rollout's id
 * @param oldColor the color traffic moves away from
 * @param newColor the color traffic moves to
 * @param greenPercent the split in force while it runs: percent of new sessions to green
 * @param phase the phase's name
 * @param timeout how long it may run
 */
record PhaseRun(long rollout, Color oldColor, Color newColor, int greenPercent, String phase, Duration timeout) {
    PhaseRun {
        requireNonNull(oldColor, "oldColor");
        requireNonNull(newColor, "newColor");
        requireNonNull(phase, "phase");
        requireNonNull(timeout, "timeout");
    }

    /** What a command phase finds in its environment. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TEAL_ROLLOUT", Long.toString(rollout));
        env.put("TEAL_PHASE", phase);
        env.put("TEAL_OLD", oldColor.id());
        env.put("TEAL_NEW", newColor.id());
        env.put("TEAL_SPLIT", Integer.toString(greenPercent));
        return env;
    }
}
