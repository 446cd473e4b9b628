package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One request's stay in a session, from {@link SessionTable#begin} to {@link SessionTable#end}: which
 * session (none for a request without a key), the color it was routed to, and how that was decided. The
 * color is fixed for the visit, so the per-color in-flight count it added is the one it removes even if
 * another request of the session is moved meanwhile.
 */
public final class Visit {
    /** How the visit's color was decided. */
    public enum Kind {
        /** The table knew the session: its pinned color. */
        EXISTING,
        /** A new session, on the color it was offered (the split's choice). */
        STARTED,
        /** Unknown to the table, but its valid pin cookie was recent: re-created on the cookie's color. */
        RESUMED,
        /** Its color was being drained by force: moved to the other color. */
        FORCED,
        /** No session key: routed by the pin cookie or the split, not kept in the table. */
        KEYLESS
    }

    private static final VarHandle ENDED;
    private static final VarHandle UPGRADE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENDED = lookup.findVarHandle(Visit.class, "ended", int.class);
            UPGRADE = lookup.findVarHandle(Visit.class, "upgrade", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Session session;
    private final Color color;
    private final Kind kind;

    @SuppressWarnings("unused") // through ENDED
    private volatile int ended;
    /** 0: never upgraded, 1: upgraded connection open, 2: closed. */
    @SuppressWarnings("unused") // through UPGRADE
    private volatile int upgrade;

    Visit(Session session, Color color, Kind kind) {
        this.session = session;
        this.color = requireNonNull(color, "color");
        this.kind = requireNonNull(kind, "kind");
    }

    /** The session, or null for a {@link Kind#KEYLESS keyless} request. */
    public Session session() {
        return session;
    }

    /** The color this request goes to. */
    public Color color() {
        return color;
    }

    public Kind kind() {
        return kind;
    }

    boolean markEnded() {
        return ENDED.compareAndSet(this, 0, 1);
    }

    boolean markUpgradeOpened() {
        return UPGRADE.compareAndSet(this, 0, 1);
    }

    boolean markUpgradeClosed() {
        return UPGRADE.compareAndSet(this, 1, 2);
    }

    boolean hasEnded() {
        return (int) ENDED.getVolatile(this) != 0;
    }

    @Override
    public String toString() {
        return "Visit[" + (session == null ? "keyless" : session.key().idPrefix()) + ", " + color + ", " + kind + "]";
    }
}
