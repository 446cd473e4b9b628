package dev.teal.proxy.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for the request path: well-formed requests (one to three, pipelined, with every kind of
 * framing), the same with a few bytes mutated where smuggling tricks live, and plain noise over an HTTP-ish
 * alphabet. Inputs are ISO-8859-1 text, one char per byte.
 */
public final class HttpArbitraries {
    private static final List<String> INTERESTING = List.of(
            " ",
            "\t",
            "\r",
            "\n",
            "\r\n",
            "\u0000",
            "\u000b",
            ":",
            ",",
            ";",
            "=",
            "\"",
            "\u00ff",
            "0",
            "f",
            "-",
            "+",
            "_",
            "chunked",
            "Chunked",
            "identity",
            "\r\n ",
            "\r\n\r\n",
            "Content-Length: 5\r\n",
            "Content-Length: 0\r\n",
            "Transfer-Encoding: chunked\r\n",
            "Transfer-Encoding : chunked\r\n",
            "Host: x\r\n",
            "GET / HTTP/1.1\r\n",
            "0\r\n\r\n",
            "5\r\nhello\r\n",
            "HTTP/1.0",
            "00000000000000000");

    private HttpArbitraries() {}

    /** Valid, mutated and random inputs, mostly near-valid ones. */
    public static Arbitrary<String> inputs() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, requests()), Tuple.of(6, mutated()), Tuple.of(1, noise()), Tuple.of(1, oversized()));
    }

    /** One to three well-formed requests, back to back. */
    public static Arbitrary<String> requests() {
        // Empty lines before a request line are allowed (RFC 9112 §2.2), and a place where readers differ.
        Arbitrary<String> leading = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.just("\r\n")),
                Tuple.of(1, Arbitraries.just("\r\n\r\n")));
        return Combinators.combine(leading, request().list().ofMinSize(1).ofMaxSize(3))
                .as((l, rs) -> l + String.join("", rs));
    }

    /** Well-formed requests with one to four edits: inserted, deleted or replaced bytes. */
    public static Arbitrary<String> mutated() {
        Arbitrary<Edit> edit = Combinators.combine(
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.of(EditKind.class),
                        Arbitraries.of(INTERESTING),
                        Arbitraries.integers().between(1, 4))
                .as(Edit::new);
        return Combinators.combine(requests(), edit.list().ofMinSize(1).ofMaxSize(4))
                .as((text, edits) -> {
                    String s = text;
                    for (Edit e : edits) {
                        s = e.apply(s);
                    }
                    return s;
                });
    }

    /** Random text over the characters requests are made of. */
    public static Arbitrary<String> noise() {
        return Arbitraries.strings()
                .withChars(
                        "GETPOST /HTP1.0:\r\n\t,;=-chunkedContent-LngthTransfrEcodig0123456789abcdefxyz\u0000\u00ff\"")
                .ofMaxLength(300);
    }

    /** Requests near and over the default limits (8 KiB request line, 16 KiB of headers, 100 fields). */
    public static Arbitrary<String> oversized() {
        Arbitrary<Integer> size = Arbitraries.integers().between(8000, 17000);
        return Combinators.combine(size, Arbitraries.of(0, 1, 2)).as((n, where) -> switch (where) {
            case 0 -> "GET /" + "a".repeat(n) + " HTTP/1.1\r\nHost: h\r\n\r\n";
            case 1 -> "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(n) + "\r\n\r\n";
            default -> "GET / HTTP/1.1\r\nHost: h\r\n" + "X-F: v\r\n".repeat(n / 100) + "\r\n";
        });
    }

    /** Where to cut an input into segments, as fractions of its length. */
    public static Arbitrary<List<Double>> cuts() {
        return Arbitraries.doubles().between(0, 1).list().ofMaxSize(6);
    }

    /** Splits {@code input} at {@code cuts} (fractions of its length), in order; empty pieces dropped. */
    public static List<String> segments(String input, List<Double> cuts) {
        int[] at =
                cuts.stream().mapToInt(c -> (int) (c * input.length())).sorted().toArray();
        java.util.ArrayList<String> pieces = new java.util.ArrayList<>();
        int from = 0;
        for (int to : at) {
            if (to > from) {
                pieces.add(input.substring(from, to));
                from = to;
            }
        }
        if (from < input.length()) {
            pieces.add(input.substring(from));
        }
        return pieces;
    }

    private enum EditKind {
        INSERT,
        DELETE,
        REPLACE
    }

    private record Edit(double where, EditKind kind, String text, int length) {
        String apply(String s) {
            int at = (int) (where * s.length());
            int end = Math.min(s.length(), at + length);
            return switch (kind) {
                case INSERT -> s.substring(0, at) + text + s.substring(at);
                case DELETE -> s.substring(0, at) + s.substring(end);
                case REPLACE -> s.substring(0, at) + text + s.substring(end);
            };
        }
    }

    private static Arbitrary<String> request() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH")),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)));
        Arbitrary<String> target = Arbitraries.frequencyOf(
                Tuple.of(
                        5,
                        Arbitraries.strings()
                                .alpha()
                                .numeric()
                                .withChars("/-._~%?=&")
                                .ofMaxLength(30)
                                .map(p -> "/" + p)),
                Tuple.of(1, Arbitraries.of("*", "http://h.example/p?q=1", "https://h.example", "/a%0d%0ab")));
        Arbitrary<String> version = Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.just("HTTP/1.1")), Tuple.of(1, Arbitraries.just("HTTP/1.0")));
        Arbitrary<String> field = Arbitraries.frequencyOf(
                Tuple.of(
                        4,
                        Arbitraries.of(
                                "Accept: */*",
                                "Cookie: a=b; teal=x",
                                "Connection: keep-alive",
                                "Connection: close",
                                "X-Forwarded-For: 1.2.3.4",
                                "Forwarded: for=1.2.3.4",
                                "Via: 1.1 other",
                                "Upgrade: websocket",
                                "Connection: Upgrade",
                                "Keep-Alive: 5",
                                "TE: trailers",
                                "Expect: 100-continue",
                                "X_Under: score",
                                "Authorization: Bearer t",
                                "Range: bytes=0-1")),
                Tuple.of(
                        3,
                        Combinators.combine(
                                        Arbitraries.strings()
                                                .alpha()
                                                .withChars("-")
                                                .ofMinLength(1)
                                                .ofMaxLength(12),
                                        Arbitraries.strings()
                                                .withCharRange(' ', '~')
                                                .ofMaxLength(40))
                                .as((n, v) -> n + ": " + v.strip())));
        Arbitrary<String> host = Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.of("Host: h.example", "Host: h.example:8080", "Host: [::1]:80")),
                Tuple.of(1, Arbitraries.just("")));
        Arbitrary<String> body = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just("\r\n")),
                Tuple.of(
                        2,
                        Arbitraries.strings()
                                .alpha()
                                .ofMaxLength(20)
                                .map(b -> "Content-Length: " + b.length() + "\r\n\r\n" + b)),
                Tuple.of(2, chunked()));
        return Combinators.combine(method, target, version, host, field.list().ofMaxSize(5), body)
                .as((m, t, v, h, fields, b) -> {
                    StringBuilder r = new StringBuilder(m)
                            .append(' ')
                            .append(t)
                            .append(' ')
                            .append(v)
                            .append("\r\n");
                    if (!h.isEmpty()) {
                        r.append(h).append("\r\n");
                    }
                    fields.forEach(f -> r.append(f).append("\r\n"));
                    return r.append(b).toString();
                });
    }

    private static Arbitrary<String> chunked() {
        Arbitrary<String> chunk = Combinators.combine(
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20),
                        Arbitraries.of("", "", ";a=b", ";x", ";q=\"v\""))
                .as((data, ext) -> Integer.toHexString(data.length()) + ext + "\r\n" + data + "\r\n");
        Arbitrary<String> trailers = Arbitraries.of("", "X-Sum: 1\r\n", "Host: evil\r\n", "Content-Length: 9\r\n");
        return Combinators.combine(chunk.list().ofMaxSize(3), trailers)
                .as((chunks, t) ->
                        "Transfer-Encoding: chunked\r\n\r\n" + String.join("", chunks) + "0\r\n" + t + "\r\n");
    }
}
