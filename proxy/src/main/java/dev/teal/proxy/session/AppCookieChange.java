package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

/**
 * What a response did to the application's session cookie.
 *
 * @param kind none, set (a session began or was renamed: learn its key) or expired (a logout: end the
 *     session, reason {@code closed})
 * @param key the keyed hash of the new value when set; null otherwise
 */
public record AppCookieChange(Kind kind, SessionKey key) {
    public enum Kind {
        NONE,
        SET,
        EXPIRED
    }

    static final AppCookieChange NONE = new AppCookieChange(Kind.NONE, null);
    static final AppCookieChange EXPIRED = new AppCookieChange(Kind.EXPIRED, null);

    public AppCookieChange {
        requireNonNull(kind, "kind");
        if ((kind == Kind.SET) != (key != null)) {
            throw new IllegalArgumentException("key: " + key + " for " + kind + " (expected: a key exactly when SET)");
        }
    }

    static AppCookieChange set(SessionKey key) {
        return new AppCookieChange(Kind.SET, key);
    }
}
