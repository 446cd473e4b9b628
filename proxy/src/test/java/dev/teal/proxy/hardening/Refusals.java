package dev.teal.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.StubBackend;
import java.io.IOException;
import java.time.Duration;

/** The assertion most rows share: teal answers with its own status, closes, and the backend sees nothing. */
final class Refusals {
    private Refusals() {}

    /** Sends {@code request}, returns everything teal answered until it closed the connection. */
    static String exchange(ProxyFixture f, String request) throws IOException {
        try (RawClient c = f.client()) {
            c.send(request);
            return c.readUntilClose(Duration.ofSeconds(10));
        }
    }

    /**
     * Sends {@code request} and asserts that teal answered {@code status} with a message of its own, closed
     * the connection, and that no backend received a single byte of it.
     *
     * @return teal's answer
     */
    static String assertRefused(ProxyFixture f, String request, int status) throws IOException {
        long before = bytesAtBackends(f);
        String answer = exchange(f, request);
        assertThat(answer)
                .as("teal's answer to %s", printable(request))
                .startsWith("HTTP/1.1 " + status + " ")
                .contains("connection: close")
                .contains("teal: ")
                .doesNotContain("<<timeout>>");
        assertThat(bytesAtBackends(f))
                .as("bytes the backends received of %s", printable(request))
                .isEqualTo(before);
        return answer;
    }

    static long bytesAtBackends(ProxyFixture f) {
        long n = 0;
        for (StubBackend b : f.blue) {
            n += b.receivedBytes().length();
        }
        for (StubBackend b : f.green) {
            n += b.receivedBytes().length();
        }
        return n;
    }

    /** Control bytes made visible, for assertion messages. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
