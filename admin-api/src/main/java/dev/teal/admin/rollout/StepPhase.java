package dev.teal.admin.rollout;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A migration phase as a ramp's answer lists it: one the step ran, started, or would run.
 *
 * @param name the phase
 * @param trigger its trigger as the settings write it ({@code before-new}, {@code after 100})
 * @param kind {@code sql}, {@code command} or {@code http}
 * @param status what happened: {@code succeeded}, {@code failed}, {@code timed-out}, {@code interrupted}
 *     (ran before traffic moved), {@code started} (runs in the background), {@code would run} or {@code
 *     would start} (dry run)
 * @param detail one line on the outcome (a script's error, an exit code), when there is one
 * @param output the tail of its output, when it ran
 */
public record StepPhase(
        String name, String trigger, String kind, String status, Optional<String> detail, Optional<String> output) {
    public StepPhase {
        requireNonNull(name, "name");
        requireNonNull(trigger, "trigger");
        requireNonNull(kind, "kind");
        requireNonNull(status, "status");
        requireNonNull(detail, "detail");
        requireNonNull(output, "output");
    }

    /** One sentence for the ramp's list of changes. */
    public String sentence() {
        return "phase " + name + " (" + trigger + ", " + kind + "): " + status
                + detail.map(d -> ": " + d).orElse("");
    }
}
