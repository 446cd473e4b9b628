package dev.teal.proxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads HTTP/1.1 requests the way the strictest backend would (RFC 9112, no leniency at all), to check
 * that what teal forwards has exactly one reading: a request line of {@code token SP target SP HTTP/1.1},
 * token field names, field values of visible ASCII, space, tab and obs-text, one {@code Host}, either one
 * decimal {@code Content-Length} or {@code Transfer-Encoding: chunked} and never both, chunks with 1–16
 * hex digits and no extensions (teal strips them), and trailers of token names. A last message cut short
 * is allowed, since teal aborts a request upstream by closing the connection.
 */
public final class StrictRequests {
    /** A request as read. */
    public record Request(String method, String target, List<String> fieldNames, long bodyBytes, boolean complete) {}

    /** The bytes are not a sequence of unambiguous requests. */
    public static final class Malformed extends Exception {
        Malformed(String message, int at) {
            super(message + " at byte " + at);
        }
    }

    private final byte[] b;
    private int i;

    private StrictRequests(byte[] bytes) {
        this.b = bytes;
    }

    /** Every request in {@code text} (ISO-8859-1), the last possibly incomplete. */
    public static List<Request> parse(String text) throws Malformed {
        return new StrictRequests(text.getBytes(StandardCharsets.ISO_8859_1)).all();
    }

    private List<Request> all() throws Malformed {
        List<Request> requests = new ArrayList<>();
        while (i < b.length) {
            Request r = next();
            requests.add(r);
            if (!r.complete()) {
                break;
            }
        }
        return requests;
    }

    private Request next() throws Malformed {
        String line = line();
        if (line == null) {
            return new Request("", "", List.of(), 0, false);
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !token(parts[0]) || !target(parts[1]) || !parts[2].equals("HTTP/1.1")) {
            throw new Malformed("request line '" + line + "'", i);
        }
        List<String> names = new ArrayList<>();
        int hosts = 0;
        String length = null;
        String coding = null;
        while (true) {
            String field = line();
            if (field == null) {
                return new Request(parts[0], parts[1], names, 0, false);
            }
            if (field.isEmpty()) {
                break;
            }
            int colon = field.indexOf(':');
            if (colon <= 0 || !token(field.substring(0, colon)) || !value(field.substring(colon + 1))) {
                throw new Malformed("field '" + field + "'", i);
            }
            String name = field.substring(0, colon).toLowerCase(Locale.ROOT);
            String v = field.substring(colon + 1).trim();
            names.add(name);
            switch (name) {
                case "host" -> hosts++;
                case "content-length" -> {
                    if (length != null || !v.matches("[0-9]{1,18}")) {
                        throw new Malformed("Content-Length '" + v + "'", i);
                    }
                    length = v;
                }
                case "transfer-encoding" -> {
                    if (coding != null || !v.equals("chunked")) {
                        throw new Malformed("Transfer-Encoding '" + v + "'", i);
                    }
                    coding = v;
                }
                default -> {}
            }
        }
        if (hosts != 1 || (length != null && coding != null)) {
            throw new Malformed(hosts + " Host fields, Content-Length " + length + ", Transfer-Encoding " + coding, i);
        }
        if (coding != null) {
            return chunked(parts, names);
        }
        long n = length == null ? 0 : Long.parseLong(length);
        long available = Math.min(n, b.length - i);
        i += (int) available;
        return new Request(parts[0], parts[1], names, available, available == n);
    }

    private Request chunked(String[] parts, List<String> names) throws Malformed {
        long body = 0;
        while (true) {
            String size = line();
            if (size == null) {
                return new Request(parts[0], parts[1], names, body, false);
            }
            if (!size.matches("[0-9a-fA-F]{1,16}")) {
                throw new Malformed("chunk size line '" + size + "'", i);
            }
            long n = Long.parseUnsignedLong(size, 16);
            if (n == 0) {
                break;
            }
            long available = Math.min(n, b.length - i);
            i += (int) available;
            body += available;
            if (available < n || i + 2 > b.length) {
                return new Request(parts[0], parts[1], names, body, false);
            }
            if (b[i] != '\r' || b[i + 1] != '\n') {
                throw new Malformed("chunk data not followed by CRLF", i);
            }
            i += 2;
        }
        while (true) {
            String trailer = line();
            if (trailer == null) {
                return new Request(parts[0], parts[1], names, body, false);
            }
            if (trailer.isEmpty()) {
                return new Request(parts[0], parts[1], names, body, true);
            }
            int colon = trailer.indexOf(':');
            if (colon <= 0 || !token(trailer.substring(0, colon)) || !value(trailer.substring(colon + 1))) {
                throw new Malformed("trailer '" + trailer + "'", i);
            }
        }
    }

    /** The next line without its CRLF; null when the bytes end first. A bare CR or LF is malformed. */
    private String line() throws Malformed {
        int start = i;
        for (int j = i; j < b.length; j++) {
            if (b[j] == '\n') {
                throw new Malformed("bare LF", j);
            }
            if (b[j] == '\r') {
                if (j + 1 >= b.length) {
                    return null;
                }
                if (b[j + 1] != '\n') {
                    throw new Malformed("bare CR", j);
                }
                i = j + 2;
                return new String(b, start, j - start, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static boolean token(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean target(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** Visible ASCII, space, tab, and obs-text (0x80-0xff, UTF-8 in a value: RFC 9110 §5.5). */
    private static boolean value(String s) {
        return s.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff));
    }
}
