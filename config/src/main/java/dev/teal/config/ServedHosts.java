package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * The authorities teal serves ({@code teal.hosts}): a request whose {@code Host} (or absolute-form
 * authority) matches none of them is refused with 421, so teal never relays a request for a site it does
 * not front. Empty (the default) serves every authority.
 *
 * <p>A pattern is a host name or an IP literal ({@code [::1]} for IPv6), optionally with a port; {@code
 * *.example.com} matches every name that ends in {@code .example.com} (one label or more), never
 * {@code example.com} itself. A pattern without a port matches any port; one with a port only that
 * port. Names compare without regard to case, and a trailing dot in the request is ignored.
 *
 * @param patterns the patterns, lower case, in the order given
 */
public record ServedHosts(List<String> patterns) {
    public ServedHosts {
        requireNonNull(patterns, "patterns");
        patterns = patterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
        for (String p : patterns) {
            String problem = problem(p);
            if (problem != null) {
                throw new IllegalArgumentException("hosts: '" + p + "' (expected: " + problem + ")");
            }
        }
    }

    /** Serves every authority. */
    public static ServedHosts any() {
        return new ServedHosts(List.of());
    }

    /** Whether the list is set, so that authorities are checked at all. */
    public boolean restricted() {
        return !patterns.isEmpty();
    }

    /** Whether {@code authority} ({@code host[:port]}, as in a {@code Host} header) is served. */
    public boolean serves(String authority) {
        if (patterns.isEmpty()) {
            return true;
        }
        int hostEnd = hostEnd(authority);
        if (hostEnd < 0) {
            return false;
        }
        String port = hostEnd < authority.length() ? authority.substring(hostEnd + 1) : null;
        if (hostEnd > 0 && authority.charAt(hostEnd - 1) == '.') {
            hostEnd--;
        }
        for (String p : patterns) {
            if (matches(p, authority, hostEnd, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String authority, int hostEnd, String port) {
        int patternHostEnd = hostEnd(pattern);
        if (patternHostEnd < pattern.length()) {
            if (port == null
                    || !pattern.regionMatches(patternHostEnd + 1, port, 0, port.length())
                    || pattern.length() - patternHostEnd - 1 != port.length()) {
                return false;
            }
        }
        if (pattern.startsWith("*.")) {
            int suffix = patternHostEnd - 1; // ".example.com"
            return hostEnd > suffix && authority.regionMatches(true, hostEnd - suffix, pattern, 1, suffix);
        }
        return hostEnd == patternHostEnd && authority.regionMatches(true, 0, pattern, 0, hostEnd);
    }

    /** The index just past the host part (where ':' port starts, or the length); -1 when malformed. */
    private static int hostEnd(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0 || (close + 1 < authority.length() && authority.charAt(close + 1) != ':')) {
                return -1;
            }
            return close + 1;
        }
        int colon = authority.indexOf(':');
        return colon < 0 ? authority.length() : colon;
    }

    /** What is wrong with a pattern, or null. */
    private static String problem(String pattern) {
        String expected = "a host name, *.name or an IP literal, optionally with :port, such as *.example.com";
        int hostEnd = hostEnd(pattern);
        if (pattern.isEmpty() || hostEnd <= 0) {
            return expected;
        }
        String host = pattern.substring(0, hostEnd);
        if (host.startsWith("*.")) {
            host = host.substring(2);
        }
        if (host.isEmpty() || !(host.startsWith("[") || host.chars().allMatch(ServedHosts::nameChar))) {
            return expected;
        }
        if (host.startsWith("[")
                && !host.substring(1, host.length() - 1).chars().allMatch(ServedHosts::ipv6Char)) {
            return expected;
        }
        if (hostEnd < pattern.length()) {
            String port = pattern.substring(hostEnd + 1);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return expected;
            }
        }
        return null;
    }

    private static boolean nameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    }

    private static boolean ipv6Char(int c) {
        return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.';
    }
}
