package dev.teal.proxy;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import java.time.Duration;

/**
 * One session as the admin API's {@code /sessions} page shows it, for debugging. Never carries the
 * whole key: a prefix is enough to tell sessions apart and cannot be replayed.
 *
 * @param idPrefix the first characters of the session id (or of the key's hash)
 * @param color the color it is pinned to
 * @param age time since its first request
 * @param idle time since its last request ended (zero while a request or upgraded connection is open)
 */
public record SessionView(String idPrefix, Color color, Duration age, Duration idle) {
    public SessionView {
        requireNonNull(idPrefix, "idPrefix");
        requireNonNull(color, "color");
        requireNonNull(age, "age");
        requireNonNull(idle, "idle");
    }
}
