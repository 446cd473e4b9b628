package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import java.time.Instant;
import java.util.Optional;

/**
 * One color's drain, as of the last {@link DrainTracker#update}.
 *
 * @param color which color
 * @param state serving (has a share), draining (at 0 %, something left) or drained
 * @param activeSessions sessions pinned to it
 * @param inFlight requests being served by it
 * @param upgraded open upgraded connections to it
 * @param drainingSince when its share went to 0 % (empty while serving)
 * @param deadline upper bound of the drain: the latest expiry among its sessions, and not before
 *     {@code idle-timeout} after a start without a restored table (empty unless draining)
 * @param estimate when the drain should end at the recent rate of sessions ending, never after the deadline
 *     (empty unless draining)
 * @param forced whether {@code drain.max-wait} has moved its remaining sessions
 */
public record DrainStatus(
        Color color,
        DrainState state,
        long activeSessions,
        long inFlight,
        long upgraded,
        Optional<Instant> drainingSince,
        Optional<Instant> deadline,
        Optional<Instant> estimate,
        boolean forced) {
    public DrainStatus {
        requireNonNull(color, "color");
        requireNonNull(state, "state");
        requireNonNull(drainingSince, "drainingSince");
        requireNonNull(deadline, "deadline");
        requireNonNull(estimate, "estimate");
    }
}
