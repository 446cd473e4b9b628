package dev.teal.proxy.session;

import dev.teal.config.Color;

/**
 * One entry of the {@link SessionTable}. Mutated only by the table inside Caffeine's per-entry critical
 * section (so writers never race); fields are volatile for the readers on other threads ({@code /sessions},
 * the drain scan). Kept small: 48 bytes with its header on a 64-bit JVM with compressed references.
 */
public final class Session {
    private final SessionKey key;
    private volatile Color color;
    /** Ticker time when pinned to {@link #color}: creation, or the last forced move. */
    private volatile long pinnedAt;
    /** Ticker time of the last activity: start or end of a request, end of an upgraded connection. */
    private volatile long lastSeen;

    private volatile int inFlight;
    private volatile int upgraded;

    Session(SessionKey key, Color color, long pinnedAt, long lastSeen) {
        this.key = key;
        this.color = color;
        this.pinnedAt = pinnedAt;
        this.lastSeen = lastSeen;
    }

    public SessionKey key() {
        return key;
    }

    /** The color the session is pinned to now. */
    public Color color() {
        return color;
    }

    /** Requests of this session being served now. */
    public int inFlight() {
        return inFlight;
    }

    /** Open upgraded (WebSocket) connections of this session. */
    public int upgraded() {
        return upgraded;
    }

    long pinnedAt() {
        return pinnedAt;
    }

    long lastSeen() {
        return lastSeen;
    }

    /** Whether the session must not expire: a request or an upgraded connection is open. */
    boolean busy() {
        return inFlight > 0 || upgraded > 0;
    }

    // The mutators below run only inside the table's compute on this key, one writer at a time, so the
    // non-atomic increments of the volatile fields are safe.

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void requestStarted(long now) {
        inFlight++;
        lastSeen = now;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void requestEnded(long now) {
        if (inFlight > 0) {
            inFlight--;
        }
        lastSeen = now;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void upgradeOpened() {
        upgraded++;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void upgradeClosed(long now) {
        if (upgraded > 0) {
            upgraded--;
        }
        lastSeen = now;
    }

    void touch(long now) {
        lastSeen = now;
    }

    void repin(Color to, long now) {
        color = to;
        pinnedAt = now;
    }
}
