package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How teal recognises a session and how long it lives ({@code teal.sessions}).
 *
 * @param key what identifies a session
 * @param cookie the pin cookie (used for every key kind: it carries the color)
 * @param appCookie the application's session cookie; its expiry ends the session, and it is the key
 *     when {@code key = app-cookie} (default JSESSIONID)
 * @param header the request header that is the key when {@code key = header} (default Authorization;
 *     hashed, never stored in clear)
 * @param idleTimeout inactivity after which a session has idled out (default 30m)
 * @param trustedProxies peers (addresses or CIDR blocks) whose {@code X-Forwarded-For} is believed
 * @param maxTracked the most sessions tracked at once (default 2,000,000); past it entries are dropped,
 *     their clients still routed by their pin cookie
 */
public record SessionSettings(
        KeyKind key,
        CookieSettings cookie,
        String appCookie,
        String header,
        Duration idleTimeout,
        List<String> trustedProxies,
        int maxTracked) {
    public enum KeyKind {
        COOKIE,
        APP_COOKIE,
        HEADER,
        SOURCE_ADDRESS
    }

    public SessionSettings {
        requireNonNull(key, "key");
        requireNonNull(cookie, "cookie");
        requireNonNull(appCookie, "appCookie");
        requireNonNull(header, "header");
        Checks.positive(idleTimeout, "idle-timeout");
        trustedProxies = List.copyOf(requireNonNull(trustedProxies, "trustedProxies"));
        Checks.atLeast(maxTracked, 1, "max-tracked");
    }

    /** With the default bound of 2,000,000 tracked sessions. */
    public SessionSettings(
            KeyKind key,
            CookieSettings cookie,
            String appCookie,
            String header,
            Duration idleTimeout,
            List<String> trustedProxies) {
        this(key, cookie, appCookie, header, idleTimeout, trustedProxies, 2_000_000);
    }

    /**
     * The pin cookie.
     *
     * @param name cookie name (default "teal")
     * @param secrets HMAC secrets; the first signs, all verify (key rotation). Empty: generated on first
     *     start and kept in the state directory
     * @param secure when to set {@code Secure}
     * @param maxAge {@code Max-Age} of the cookie; empty (the default) makes it a browser-session cookie
     */
    public record CookieSettings(String name, List<String> secrets, Secure secure, Optional<Duration> maxAge) {
        public enum Secure {
            AUTO,
            ALWAYS,
            NEVER
        }

        public CookieSettings {
            requireNonNull(name, "name");
            secrets = List.copyOf(requireNonNull(secrets, "secrets"));
            requireNonNull(secure, "secure");
            requireNonNull(maxAge, "maxAge");
        }
    }
}
