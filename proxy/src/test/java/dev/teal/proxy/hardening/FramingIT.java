package dev.teal.proxy.hardening;

import static dev.teal.proxy.hardening.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Catalogue rows S1–S10 and S22: message framing and request smuggling. Whatever a client does with
 * {@code Content-Length} and {@code Transfer-Encoding}, the backend never sees a second request hidden in a
 * body, nor a framing it could read differently from teal.
 */
class FramingIT {
    private static ProxyFixture f;

    @BeforeAll
    static void start() {
        f = ProxyFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static StubBackend blue() {
        return f.blue.get(0);
    }

    @Test
    @DisplayName("S1 Content-Length and Transfer-Encoding: chunked, body smuggling GET /smuggled: 400, close")
    void s1_refusesContentLengthWithChunkedSmugglingARequest() throws Exception {
        String smuggled = "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        assertRefused(
                f,
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + smuggled.length()
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n" + smuggled,
                400);
        assertRefused(
                f,
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: " + smuggled.length()
                        + "\r\n\r\n" + smuggled,
                400);
        assertThat(blue().receivedBytes()).doesNotContain("/smuggled");
    }

    @Test
    @DisplayName("S2 Transfer-Encoding: chunked with Content-Length: 30, body 0 CRLF CRLF and more: 400, close")
    void s2_refusesChunkedWithContentLengthAndTrailingBytes() throws Exception {
        assertRefused(
                f,
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 30\r\n\r\n"
                        + "0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n",
                400);
        assertThat(blue().receivedBytes()).doesNotContain("/smuggled");
    }

    @Test
    @DisplayName("S3 Content-Length: 5 then Content-Length: 10: 400, close")
    void s3_refusesTwoDifferentContentLengths() throws Exception {
        assertRefused(f, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 10\r\n\r\nhello", 400);
    }

    @ParameterizedTest(name = "S4 {0}")
    @ValueSource(strings = {"Content-Length: 5\r\nContent-Length: 5", "Content-Length: 5, 5"})
    @DisplayName("S4 two identical Content-Lengths, or a list of one value twice: 400")
    void s4_refusesARepeatedContentLength(String lengths) throws Exception {
        // The row allows 400 or forwarding exactly one; teal takes the strict choice, as NGINX does.
        assertRefused(f, "POST /upload HTTP/1.1\r\nHost: a\r\n" + lengths + "\r\n\r\nhello", 400);
    }

    @Test
    @DisplayName("S5 Content-Length: 5, 10: 400")
    void s5_refusesAContentLengthList() throws Exception {
        assertRefused(f, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 10\r\n\r\nhello", 400);
    }

    @ParameterizedTest(name = "S6 Content-Length: ''{0}''")
    @ValueSource(strings = {"-1", "+5", "0x10", "1_0", "", "5 5", "99999999999999999999"})
    @DisplayName("S6 Content-Length of -1, +5, 0x10, 1_0, empty and other non-numbers: 400")
    void s6_refusesAContentLengthThatIsNotADecimalNumber(String value) throws Exception {
        assertRefused(f, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + value + "\r\n\r\nhellohello", 400);
    }

    @ParameterizedTest(name = "S7 Transfer-Encoding: {0}")
    @ValueSource(strings = {"chunked, gzip", "gzip", "xchunked", "identity", "chunkedx", "gzip, chunked"})
    @DisplayName("S7 Transfer-Encoding whose last coding is not chunked (and any coding but chunked): 400")
    void s7_refusesATransferEncodingOtherThanChunked(String value) throws Exception {
        // "gzip, chunked" is valid HTTP, but no backend expects a transfer-coded request: refused like
        // NGINX does, so that the backend can only ever see the one framing teal decoded.
        assertRefused(f, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + value + "\r\n\r\n0\r\n\r\n", 400);
    }

    @ParameterizedTest(name = "S8 {0}")
    @ValueSource(
            strings = {"Transfer-Encoding: chunked, chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"
            })
    @DisplayName("S8 Transfer-Encoding: chunked, chunked: 400")
    void s8_refusesChunkedTwice(String header) throws Exception {
        assertRefused(f, "POST / HTTP/1.1\r\nHost: a\r\n" + header + "\r\n\r\n0\r\n\r\n", 400);
    }

    @ParameterizedTest(name = "S9 {0}")
    @ValueSource(
            strings = {
                "Transfer-Encoding : chunked",
                "\tTransfer-Encoding: chunked",
                "Transfer-Encoding: ,chunked",
                "Transfer-Encoding: chunked ,",
                "Transfer-Encoding: chunked\u0001",
                "Transfer-Encoding:\u000bchunked",
                "Transfer-Encoding: \u00ffchunked",
                "Transfer-Encoding: \"chunked\"",
                "Transfer-Encoding: chunked;q=1",
                "Transfer-Encoding\u0000: chunked",
                "Transfer-Encoding: chun\rked"
            })
    @DisplayName("S9 obfuscated Transfer-Encoding (space before the colon, tab or control bytes, ,chunked): 400")
    void s9_refusesAnObfuscatedTransferEncoding(String header) throws Exception {
        assertRefused(f, "POST / HTTP/1.1\r\nHost: a\r\n" + header + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400);
    }

    @ParameterizedTest(name = "S9 {0}")
    @ValueSource(
            strings = {
                "Transfer-Encoding: Chunked",
                "Transfer-Encoding: CHUNKED",
                "Transfer-Encoding:\tchunked",
                "Transfer-Encoding: chunked\t",
                "transfer-encoding:chunked"
            })
    @DisplayName("S9 Transfer-Encoding that is chunked in another spelling: forwarded as exactly chunked")
    void s9_forwardsOtherSpellingsOfChunkedAsExactlyChunked(String header) throws Exception {
        int before = blue().receivedBytes().length();
        try (RawClient c = f.client()) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\n" + header + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("received 5");
        }
        String seen = blue().receivedBytes().substring(before);
        assertThat(seen.split("\r\n"))
                .filteredOn(line -> line.toLowerCase().startsWith("transfer-encoding"))
                .singleElement()
                .satisfies(line -> assertThat(line.substring(line.indexOf(':'))).isEqualTo(": chunked"));
        assertThat(seen).doesNotContainIgnoringCase("content-length").endsWith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    }

    @Test
    @DisplayName("S10 POST / HTTP/1.0 with Transfer-Encoding: chunked: 400, close")
    void s10_refusesChunkedOnHttp10() throws Exception {
        assertRefused(
                f,
                "POST /upload HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                400);
    }

    @Test
    @DisplayName(
            "S22 pipelined requests in one segment (one chunked), the third malformed: first two answered, nothing after")
    void s22_answersValidPipelinedRequestsBeforeAMalformedOneAndForwardsNothingAfterIt() throws Exception {
        int before = blue().receivedBytes().length();
        try (RawClient c = f.client()) {
            c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + "GET /third HTTP/1.1\r\nHost: a\r\nX-Bad : folded\r\n\r\n"
                    + "GET /fourth HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse first = c.readResponse();
            RawResponse second = c.readResponse();
            assertThat(first.bodyText()).isEqualTo("blue-1 GET /first");
            assertThat(second.bodyText()).isEqualTo("received 5");
            assertThat(c.readUntilClose(Duration.ofSeconds(10)))
                    .startsWith("HTTP/1.1 400 ")
                    .doesNotContain("<<timeout>>");
        }
        assertThat(blue().receivedBytes().substring(before))
                .contains("GET /first ")
                .contains("POST /upload ")
                .doesNotContain("/third")
                .doesNotContain("/fourth");
    }

    @Test
    @DisplayName("S22 a body that ends where a smuggled request begins: that request is a request of its own")
    void s22_treatsBytesAfterADeclaredBodyAsTheNextRequestInOrder() throws Exception {
        int before = blue().receivedBytes().length();
        try (RawClient c = f.client()) {
            c.send(
                    "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /second HTTP/1.1\r\n"
                            + "Host: a\r\n\r\nGET /third HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx");
            assertThat(c.readResponse().bodyText()).isEqualTo("received 5");
            assertThat(c.readResponse().bodyText()).isEqualTo("blue-1 GET /second");
            assertThat(c.readUntilClose(Duration.ofSeconds(10))).startsWith("HTTP/1.1 400 ");
        }
        assertThat(blue().receivedBytes().substring(before)).doesNotContain("/third");
    }
}
