package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed or ambiguous requests are answered by teal with a 4xx that says what was wrong, the
 * connection is closed, and the backend receives not a single byte of them.
 */
class MalformedRequestIT {
    private static ProxyFixture f;

    @BeforeAll
    static void start() {
        f = ProxyFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(
                        "content-length and chunked (smuggling)",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 39\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
                        400),
                Arguments.of(
                        "two different content-lengths",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 10\r\n\r\nhello",
                        400),
                Arguments.of(
                        "content-length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 10\r\n\r\nhello", 400),
                Arguments.of(
                        "negative content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
                Arguments.of("hex content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", 400),
                Arguments.of("obsolete line folding", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400),
                Arguments.of("whitespace before colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n", 400),
                Arguments.of(
                        "transfer-encoding not ending in chunked",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                        400),
                Arguments.of(
                        "chunked twice",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
                        400),
                Arguments.of(
                        "transfer-encoding on HTTP/1.0",
                        "POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        400),
                Arguments.of("bare LF line ends", "GET / HTTP/1.1\nHost: a\n\n", 400),
                Arguments.of("NUL in a header value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n", 400),
                Arguments.of("NUL in the request line", "GET /\u0000 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("unknown version", "GET / HTTP/1.32\r\nHost: a\r\n\r\n", 400),
                Arguments.of("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", 400),
                Arguments.of("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
                Arguments.of("empty header name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesWithoutForwardingAByte(String name, String request, int status) throws Exception {
        int before = f.blue.get(0).receivedBytes().length();
        try (RawClient c = f.client()) {
            c.send(request);
            String answer = c.readUntilClose(Duration.ofSeconds(5));
            assertThat(answer)
                    .startsWith("HTTP/1.1 " + status + " ")
                    .contains("teal: ")
                    .doesNotContain("<<timeout>>");
        }
        assertThat(f.blue.get(0).receivedBytes().length())
                .as("bytes the backend received")
                .isEqualTo(before);
    }

    @Test
    void refusesABadChunkSizeAndNeverCompletesTheRequestUpstream() throws Exception {
        try (RawClient c = f.client()) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZ\r\nhello\r\n0\r\n\r\n");
            String answer = c.readUntilClose(Duration.ofSeconds(5));
            assertThat(answer).startsWith("HTTP/1.1 400 ");
        }
        assertThat(f.blue.get(0).requests()).noneMatch(r -> r.uri().equals("/upload"));
    }

    @Test
    void answersValidPipelinedRequestsBeforeAMalformedOneAndNothingAfter() throws Exception {
        try (RawClient c = f.client()) {
            c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: a\r\nX-Bad : folded\r\n\r\n"
                    + "GET /third HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("blue-1 GET /first");
            assertThat(c.readUntilClose(Duration.ofSeconds(5))).startsWith("HTTP/1.1 400 ");
        }
        assertThat(f.blue.get(0).receivedBytes())
                .contains("/first")
                .doesNotContain("/second")
                .doesNotContain("/third");
    }
}
