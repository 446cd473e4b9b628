package dev.teal.proxy.session;

import java.util.Locale;

/** Why a pin cookie was ignored; the {@code reason} label of {@code teal_cookie_rejected_total}. */
public enum CookieRejection {
    /** Not a cookie teal wrote: wrong length, alphabet, encoding or version, or sent twice. */
    MALFORMED,
    /** Well formed, but no configured secret signed it (forged, tampered, or from a retired secret). */
    SIGNATURE,
    /** Signed, but names a color this version does not know. */
    COLOR,
    /** Signed, but older than the idle timeout: the session it pinned has idled out. */
    EXPIRED,
    /** Signed, but issued further in the future than clock skew between instances explains. */
    FUTURE;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The metric label value. */
    public String id() {
        return id;
    }
}
