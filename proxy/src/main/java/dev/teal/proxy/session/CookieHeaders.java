package dev.teal.proxy.session;

/**
 * A scanner for the {@code Cookie} request header (RFC 6265 section 4.2.1): finds one cookie's value
 * without building every cookie of the header, since it runs on every request. Lenient like browsers and
 * servlet containers: pairs split on {@code ;}, surrounding spaces and tabs trimmed, a value in double quotes
 * unquoted, pairs without {@code =} skipped.
 */
final class CookieHeaders {
    /** Returned by {@link #value} when the cookie occurs more than once (compared by identity). */
    static final String DUPLICATE = new String("duplicate");

    private CookieHeaders() {}

    /**
     * The value of the cookie {@code name} in one or more {@code Cookie} header values: null when absent,
     * {@link #DUPLICATE} when present more than once.
     */
    static String value(Iterable<String> headers, String name) {
        String found = null;
        for (String header : headers) {
            int start = 0;
            int length = header.length();
            while (start < length) {
                int end = header.indexOf(';', start);
                if (end < 0) {
                    end = length;
                }
                String value = valueIfNamed(header, start, end, name);
                if (value != null) {
                    if (found != null) {
                        return DUPLICATE;
                    }
                    found = value;
                }
                start = end + 1;
            }
        }
        return found;
    }

    /** The value of the pair in {@code s[start, end)} when its name is {@code name}, else null. */
    static String valueIfNamed(String s, int start, int end, String name) {
        start = skipSpace(s, start, end);
        int n = name.length();
        // Cheap rejection first: most pairs of a Cookie header are other cookies, of other name lengths.
        int eq = skipSpace(s, start + n, end);
        if (eq >= end || s.charAt(eq) != '=' || !s.regionMatches(start, name, 0, n)) {
            return null;
        }
        int from = skipSpace(s, eq + 1, end);
        int to = end;
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        if (to - from >= 2 && s.charAt(from) == '"' && s.charAt(to - 1) == '"') {
            from++;
            to--;
        }
        return s.substring(from, to);
    }

    static int skipSpace(String s, int i, int end) {
        while (i < end && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
