package dev.teal.admin.plan;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One decision of a plan, as the status, the dashboard and the notification webhooks tell it.
 *
 * @param at when
 * @param type one of {@code started, step, paused, resumed, failed, rollback, drained, contracted,
 *     completed, aborted, promote, held}
 * @param percent the percent of new sessions on new at that moment
 * @param message what happened and why, one sentence
 */
public record PlanEvent(Instant at, String type, int percent, String message) {
    public PlanEvent {
        requireNonNull(at, "at");
        requireNonNull(type, "type");
        requireNonNull(message, "message");
    }
}
