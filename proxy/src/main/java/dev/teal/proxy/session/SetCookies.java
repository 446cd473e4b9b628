package dev.teal.proxy.session;

import io.netty.handler.codec.DateFormatter;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;

/**
 * Reads what a {@code Set-Cookie} response header (RFC 6265 section 5.2) does to one cookie: sets it, or
 * expires it. Parsed here rather than with Netty's {@code ClientCookieDecoder}, which compares
 * {@code Expires} with the system clock instead of an injected one.
 */
final class SetCookies {
    /** What one {@code Set-Cookie} did to the named cookie. */
    enum Effect {
        /** The header is about another cookie, or is not a cookie at all. */
        OTHER,
        SET,
        EXPIRED
    }

    private SetCookies() {}

    /**
     * The effect of {@code header} on the cookie {@code name} at {@code now}. Expired: {@code Max-Age} of
     * zero or less, else an {@code Expires} not after now, or an empty value (nothing left to send back).
     * {@code Max-Age} wins over {@code Expires}, as in browsers.
     */
    static Effect effect(String header, String name, Instant now) {
        int end = header.indexOf(';');
        if (end < 0) {
            end = header.length();
        }
        String value = CookieHeaders.valueIfNamed(header, 0, end, name);
        if (value == null) {
            return Effect.OTHER;
        }
        Boolean maxAgeExpired = null;
        Boolean expiresPassed = null;
        int start = end + 1;
        while (start < header.length()) {
            int next = header.indexOf(';', start);
            if (next < 0) {
                next = header.length();
            }
            int from = CookieHeaders.skipSpace(header, start, next);
            int eq = header.indexOf('=', from);
            if (eq > from && eq < next) {
                String attribute = header.substring(from, eq).trim().toLowerCase(Locale.ROOT);
                String attributeValue = header.substring(eq + 1, next).trim();
                if (attribute.equals("max-age")) {
                    Boolean expired = maxAgeExpired(attributeValue);
                    maxAgeExpired = expired != null ? expired : maxAgeExpired;
                } else if (attribute.equals("expires")) {
                    Date date = DateFormatter.parseHttpDate(attributeValue);
                    if (date != null) {
                        expiresPassed = date.getTime() <= now.toEpochMilli();
                    }
                }
            }
            start = next + 1;
        }
        boolean expired = maxAgeExpired != null ? maxAgeExpired : Boolean.TRUE.equals(expiresPassed);
        return expired || value.isEmpty() ? Effect.EXPIRED : Effect.SET;
    }

    /** RFC 6265 section 5.2.2: digits with an optional leading minus; anything else is ignored (null). */
    private static Boolean maxAgeExpired(String v) {
        int i = v.startsWith("-") ? 1 : 0;
        if (i == v.length()) {
            return null;
        }
        boolean zero = true;
        for (int j = i; j < v.length(); j++) {
            char c = v.charAt(j);
            if (c < '0' || c > '9') {
                return null;
            }
            zero &= c == '0';
        }
        return i == 1 || zero;
    }
}
