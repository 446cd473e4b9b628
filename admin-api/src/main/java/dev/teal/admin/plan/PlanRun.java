package dev.teal.admin.plan;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What survives a restart of a release plan: which rollout it walks, at which step, and how much of the
 * step's hold is left. Immutable; every decision makes the next one, which is stored before it counts.
 *
 * @param rolloutId the rollout the plan walks (0 when idle)
 * @param oldColor the color traffic moves away from
 * @param newColor the color traffic moves to
 * @param state where it stands
 * @param step the index (from 0) of the step the split is at; -1 before the first
 * @param holdEndsAt when the current step's hold ends (while running)
 * @param holdLeft the hold left when it was paused (while paused)
 * @param promote whether the operator asked to skip to 100 % once the current step's checks pass
 * @param reason why it is where it is, one sentence
 * @param startedAt when the plan was started
 * @param events the last decisions, oldest first (at most {@link #EVENTS})
 */
public record PlanRun(
        long rolloutId,
        Color oldColor,
        Color newColor,
        PlanState state,
        int step,
        Optional<Instant> holdEndsAt,
        Optional<Duration> holdLeft,
        boolean promote,
        String reason,
        Instant startedAt,
        List<PlanEvent> events) {
    /** How many events a plan keeps. */
    static final int EVENTS = 50;

    public PlanRun {
        requireNonNull(oldColor, "oldColor");
        requireNonNull(newColor, "newColor");
        requireNonNull(state, "state");
        requireNonNull(holdEndsAt, "holdEndsAt");
        requireNonNull(holdLeft, "holdLeft");
        requireNonNull(reason, "reason");
        requireNonNull(startedAt, "startedAt");
        events = List.copyOf(events);
        if (oldColor == newColor) {
            throw new IllegalArgumentException("plan: old and new are both " + oldColor);
        }
    }

    static PlanRun idle(Instant now) {
        return new PlanRun(
                0,
                Color.BLUE,
                Color.GREEN,
                PlanState.IDLE,
                -1,
                Optional.empty(),
                Optional.empty(),
                false,
                "no plan started",
                now,
                List.of());
    }

    PlanRun with(PlanState state, String reason) {
        return new PlanRun(
                rolloutId, oldColor, newColor, state, step, holdEndsAt, holdLeft, promote, reason, startedAt, events);
    }

    PlanRun atStep(int index, Instant holdEnds) {
        return new PlanRun(
                rolloutId,
                oldColor,
                newColor,
                state,
                index,
                Optional.of(holdEnds),
                Optional.empty(),
                promote,
                reason,
                startedAt,
                events);
    }

    PlanRun paused(Instant now, String why) {
        Duration left = holdEndsAt
                .map(end -> end.isAfter(now) ? Duration.between(now, end) : Duration.ZERO)
                .orElse(holdLeft.orElse(Duration.ZERO));
        return new PlanRun(
                rolloutId,
                oldColor,
                newColor,
                PlanState.PAUSED,
                step,
                Optional.empty(),
                Optional.of(left),
                promote,
                why,
                startedAt,
                events);
    }

    PlanRun resumed(Instant now, String why) {
        Instant end = now.plus(holdLeft.orElse(Duration.ZERO));
        return new PlanRun(
                rolloutId,
                oldColor,
                newColor,
                PlanState.RUNNING,
                step,
                Optional.of(end),
                Optional.empty(),
                promote,
                why,
                startedAt,
                events);
    }

    PlanRun promoting(boolean promote) {
        return new PlanRun(
                rolloutId, oldColor, newColor, state, step, holdEndsAt, holdLeft, promote, reason, startedAt, events);
    }

    PlanRun logged(PlanEvent event) {
        List<PlanEvent> next = new ArrayList<>(events);
        next.add(event);
        while (next.size() > EVENTS) {
            next.remove(0);
        }
        return new PlanRun(
                rolloutId, oldColor, newColor, state, step, holdEndsAt, holdLeft, promote, reason, startedAt, next);
    }

    /** The hold left at {@code now}. */
    public Duration holdLeftAt(Instant now) {
        if (holdEndsAt.isPresent()) {
            Instant end = holdEndsAt.get();
            return end.isAfter(now) ? Duration.between(now, end) : Duration.ZERO;
        }
        return holdLeft.orElse(Duration.ZERO);
    }
}
