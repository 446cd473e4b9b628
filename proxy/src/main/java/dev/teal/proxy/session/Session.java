package dev.teal.proxy.session;

import dev.teal.config.Color;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One entry of the {@link SessionTable}. The per-request path changes only this object: one compare-and-set
 * on {@link #state} (requests in flight, upgraded connections, a version, a dead flag) and one release store
 * of {@link #lastSeen}. The sweep that expires idle sessions takes the same word from "idle" to "dead" by
 * compare-and-set, so a request that begins and a sweep that expires can never both win: a busy session
 * cannot expire, and a request never begins on an expired one (it starts a fresh entry instead).
 *
 * <p>Kept small: 48 bytes with its header on a 64-bit JVM with compressed references.
 */
public final class Session {
    private static final long IN_FLIGHT_ONE = 1L;
    private static final long IN_FLIGHT_MASK = (1L << 20) - 1;
    private static final int UPGRADED_SHIFT = 20;
    private static final long UPGRADED_ONE = 1L << UPGRADED_SHIFT;
    private static final long UPGRADED_MASK = ((1L << 16) - 1) << UPGRADED_SHIFT;
    private static final int VERSION_SHIFT = 36;
    private static final long VERSION_ONE = 1L << VERSION_SHIFT;
    /** Bits 36 to 62: bumped by every change of activity, so that the sweep's compare-and-set sees no ABA. */
    private static final long VERSION_MASK = ((1L << 27) - 1) << VERSION_SHIFT;

    static final long DEAD = 1L << 63;
    private static final long BUSY_MASK = IN_FLIGHT_MASK | UPGRADED_MASK;

    private static final VarHandle STATE;
    private static final VarHandle LAST_SEEN;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Session.class, "state", long.class);
            LAST_SEEN = lookup.findVarHandle(Session.class, "lastSeen", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SessionKey key;
    /** Changed only by a forced move, under this object's monitor (rare: never on the normal path). */
    private volatile Color color;
    /** Ticker time when pinned to {@link #color}: creation, or the last forced move. */
    private volatile long pinnedAt;
    /**
     * Ticker time of the last activity: start or end of a request, end of an upgraded connection. Written
     * before the {@link #state} change that publishes it, so whoever reads an idle state reads this after it.
     */
    @SuppressWarnings("unused") // through LAST_SEEN
    private long lastSeen;

    @SuppressWarnings("unused") // through STATE
    private volatile long state;

    Session(SessionKey key, Color color, long pinnedAt, long lastSeen) {
        this.key = key;
        this.color = color;
        this.pinnedAt = pinnedAt;
        this.lastSeen = lastSeen;
    }

    /** A session created with its first request already in flight (so no sweep can take it before it starts). */
    static Session begun(SessionKey key, Color color, long now) {
        Session s = new Session(key, color, now, now);
        s.state = IN_FLIGHT_ONE | VERSION_ONE;
        return s;
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
        return (int) (state & IN_FLIGHT_MASK);
    }

    /** Open upgraded (WebSocket) connections of this session. */
    public int upgraded() {
        return (int) ((state & UPGRADED_MASK) >>> UPGRADED_SHIFT);
    }

    long pinnedAt() {
        return pinnedAt;
    }

    long lastSeen() {
        return (long) LAST_SEEN.getAcquire(this);
    }

    /** Whether the session must not expire: a request or an upgraded connection is open. */
    boolean busy() {
        return (state & BUSY_MASK) != 0;
    }

    /** Whether the session has expired or been closed: it is, or is about to be, out of the table. */
    boolean dead() {
        return state < 0;
    }

    /** One more request in flight; false, changing nothing, when the session is dead. */
    boolean requestStarted(long now) {
        LAST_SEEN.setRelease(this, now);
        long s;
        do {
            s = state;
            if (s < 0) {
                return false;
            }
        } while (!STATE.weakCompareAndSet(this, s, bump(s + IN_FLIGHT_ONE)));
        return true;
    }

    void requestEnded(long now) {
        LAST_SEEN.setRelease(this, now);
        long s;
        do {
            s = state;
            if ((s & IN_FLIGHT_MASK) == 0) {
                return;
            }
        } while (!STATE.weakCompareAndSet(this, s, bump(s - IN_FLIGHT_ONE)));
    }

    void upgradeOpened() {
        long s;
        do {
            s = state;
            if ((s & UPGRADED_MASK) == UPGRADED_MASK) {
                throw new IllegalStateException(this + ": too many upgraded connections");
            }
        } while (!STATE.weakCompareAndSet(this, s, bump(s + UPGRADED_ONE)));
    }

    void upgradeClosed(long now) {
        LAST_SEEN.setRelease(this, now);
        long s;
        do {
            s = state;
            if ((s & UPGRADED_MASK) == 0) {
                return;
            }
        } while (!STATE.weakCompareAndSet(this, s, bump(s - UPGRADED_ONE)));
    }

    /** Activity without a request (the application set its cookie); false when the session is dead. */
    boolean touch(long now) {
        LAST_SEEN.setRelease(this, now);
        long s;
        do {
            s = state;
            if (s < 0) {
                return false;
            }
        } while (!STATE.weakCompareAndSet(this, s, bump(s)));
        return true;
    }

    /**
     * Expires the session if it is idle and its last activity is at or before {@code idleSince} (ticker
     * time); true if this call killed it.
     */
    boolean expireIfIdleSince(long idleSince) {
        long s = state;
        if (s != (s & VERSION_MASK)) {
            return false; // busy or dead
        }
        if (lastSeen() - idleSince > 0) {
            return false;
        }
        // The version in s makes this fail if any activity happened since the reads above.
        return STATE.compareAndSet(this, s, s | DEAD);
    }

    /** Marks the session dead whatever it is doing (closed by the application); true if this call did. */
    boolean kill() {
        long s;
        do {
            s = state;
            if (s < 0) {
                return false;
            }
        } while (!STATE.weakCompareAndSet(this, s, s | DEAD));
        return true;
    }

    void repin(Color to, long now) {
        pinnedAt = now;
        color = to;
    }

    private static long bump(long s) {
        return (s & ~VERSION_MASK) | ((s + VERSION_ONE) & VERSION_MASK);
    }

    @Override
    public String toString() {
        return "Session[" + key.idPrefix() + ", " + color + "]";
    }
}
