package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;

/**
 * What the signed pin cookie says: which session, pinned to which color, as of when.
 *
 * @param id the session id (for the {@code cookie} key kind, the session table's key)
 * @param color the color the session is pinned to
 * @param issuedAt when the cookie was issued, in epoch seconds; advances at most once a minute while the
 *     session is active, so it trails the last activity by at most that
 */
public record PinCookie(SessionKey id, Color color, long issuedAt) {
    /** Largest timestamp the cookie can hold (unsigned 32 bits: the year 2106). */
    static final long MAX_ISSUED_AT = 0xffff_ffffL;

    public PinCookie {
        requireNonNull(id, "id");
        requireNonNull(color, "color");
        if (issuedAt < 0 || issuedAt > MAX_ISSUED_AT) {
            throw new IllegalArgumentException("issuedAt: " + issuedAt + " (expected: 0-" + MAX_ISSUED_AT + ")");
        }
    }
}
