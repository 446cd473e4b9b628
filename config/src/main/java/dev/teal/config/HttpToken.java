package dev.teal.config;

/**
 * The HTTP token: a header name (RFC 9110 section 5.6.2), a cookie name (RFC 6265 section 4.1.1 refers
 * to the same grammar), the pseudonym in {@code Via}.
 */
final class HttpToken {
    private HttpToken() {}

    static boolean isToken(String text) {
        return !text.isEmpty() && text.chars().allMatch(HttpToken::isTokenChar);
    }

    /** The text when it is a token; else an {@link UnexpectedValueException} with {@code expected}. */
    static String require(String text, String expected) {
        if (!isToken(text)) {
            throw new UnexpectedValueException(text, expected);
        }
        return text;
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
