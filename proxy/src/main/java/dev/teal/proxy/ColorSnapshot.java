package dev.teal.proxy;

import dev.teal.config.Color;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One color's state, as {@code /status} and the metrics show it.
 *
 * @param color which color
 * @param backends its instances and their health
 * @param activeSessions sessions that have not idled out or ended
 * @param inFlight requests being served now
 * @param upgraded open upgraded (WebSocket) connections
 * @param drain drain state
 * @param drainDeadline upper bound of the drain: the latest expiry among the color's sessions
 * @param drainEstimate estimate of the drain's end from the recent rate
 */
public record ColorSnapshot(
        Color color,
        List<BackendSnapshot> backends,
        long activeSessions,
        long inFlight,
        long upgraded,
        DrainState drain,
        Optional<Instant> drainDeadline,
        Optional<Instant> drainEstimate) {
    public ColorSnapshot {
        backends = List.copyOf(backends);
    }
}
