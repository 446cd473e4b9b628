package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether the store can be reached now.
 *
 * @param connected whether changes can be stored
 * @param lostSince when the connection was lost; empty while connected
 */
public record StoreStatus(boolean connected, Optional<Instant> lostSince) {
    /** A store that is always there (a file in the state directory). */
    public static final StoreStatus ALWAYS = new StoreStatus(true, Optional.empty());

    public StoreStatus {
        requireNonNull(lostSince, "lostSince");
        if (connected == lostSince.isPresent()) {
            throw new IllegalArgumentException(
                    "lostSince: " + lostSince + " (expected: present exactly when not connected)");
        }
    }

    public static StoreStatus lost(Instant since) {
        return new StoreStatus(false, Optional.of(since));
    }
}
