package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

/**
 * The result of verifying a pin cookie: valid (a {@link PinCookie}, no rejection) or rejected (a reason).
 * An {@link CookieRejection#EXPIRED expired} cookie is authentic, so it still carries what it said: the
 * session table may know the session longer than the cookie's timestamp shows (the timestamp trails the
 * last activity by up to a minute, or a whole long request).
 *
 * @param cookie the cookie when valid or expired; null otherwise
 * @param rejection why it was rejected; null when valid
 */
public record CookieVerdict(PinCookie cookie, CookieRejection rejection) {
    private static final CookieVerdict[] REJECTED = new CookieVerdict[CookieRejection.values().length];

    static {
        for (CookieRejection r : CookieRejection.values()) {
            REJECTED[r.ordinal()] = new CookieVerdict(null, r);
        }
    }

    public CookieVerdict {
        boolean neither = cookie == null && rejection == null;
        boolean both = cookie != null && rejection != null && rejection != CookieRejection.EXPIRED;
        if (neither || both) {
            throw new IllegalArgumentException("cookie: " + cookie + ", rejection: " + rejection
                    + " (expected: one of them, or both when expired)");
        }
    }

    static CookieVerdict valid(PinCookie cookie) {
        return new CookieVerdict(requireNonNull(cookie, "cookie"), null);
    }

    static CookieVerdict rejected(CookieRejection rejection) {
        return REJECTED[rejection.ordinal()];
    }

    static CookieVerdict expired(PinCookie cookie) {
        return new CookieVerdict(requireNonNull(cookie, "cookie"), CookieRejection.EXPIRED);
    }

    public boolean isValid() {
        return rejection == null;
    }
}
