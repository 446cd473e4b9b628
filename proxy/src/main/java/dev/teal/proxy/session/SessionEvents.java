package dev.teal.proxy.session;

import dev.teal.config.Color;

/**
 * What the session machinery reports, for the metrics to count. Called on event loops and inside the
 * table's per-entry critical sections: implementations must be cheap and must not block (a counter
 * increment is right).
 */
public interface SessionEvents {
    /** Ignores everything. */
    SessionEvents NONE = new SessionEvents() {};

    /** A session began on {@code color} (new, resumed from its cookie, or moved there by force). */
    default void started(Color color) {}

    /** A session left {@code color}. */
    default void ended(Color color, EndReason reason) {}

    /** A pin cookie was ignored; the request started a new session. */
    default void cookieRejected(CookieRejection reason) {}
}
