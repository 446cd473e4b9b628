package dev.teal.proxy.hardening;

import static dev.teal.proxy.hardening.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.StubBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Catalogue rows S11, S12, S17–S19, S23 and S24: the syntax of a request head and its target. Anything a backend might parse
 * differently from teal is refused with 400 before a byte of it is forwarded.
 */
class HeadSyntaxIT {
    private static ProxyFixture f;

    @BeforeAll
    static void start() {
        f = ProxyFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @ParameterizedTest(name = "S11 {0}")
    @ValueSource(strings = {"X-A: b\r\n c", "X-A: b\r\n\tc", "Host: a\r\n  b"})
    @DisplayName("S11 obsolete line folding (X: a CRLF SP b): 400")
    void s11_refusesObsoleteLineFolding(String folded) throws Exception {
        String host = folded.startsWith("Host") ? "" : "Host: a\r\n";
        assertRefused(f, "GET / HTTP/1.1\r\n" + host + folded + "\r\n\r\n", 400);
    }

    @ParameterizedTest(name = "S12 {0}")
    @ValueSource(
            strings = {
                "GET / HTTP/1.1\nHost: a\n\n",
                "GET / HTTP/1.1\r\nHost: a\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\n\n",
                "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\r\n\r\n",
                "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n"
            })
    @DisplayName("S12 bare LF line ends, a bare CR inside a value: 400")
    void s12_refusesBareLineFeedsAndCarriageReturns(String request) throws Exception {
        assertRefused(f, request, 400);
    }

    @ParameterizedTest(name = "S17 {0}")
    @ValueSource(strings = {"X-A : b", "X-A\t: b", ": b", "X\u0000A: b", "X\u00e9A: b", "X(A): b", "X-A b", "X-A"})
    @DisplayName("S17 header name with a space before the colon, empty name, NUL or non-ASCII bytes (in the name): 400")
    void s17_refusesAMalformedHeaderField(String field) throws Exception {
        assertRefused(f, "GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n", 400);
    }

    @ParameterizedTest(name = "S18 {0}")
    @ValueSource(
            strings = {
                "GET /\u0000 HTTP/1.1",
                "G\u0000ET / HTTP/1.1",
                "GET  / HTTP/1.1",
                "GET /  HTTP/1.1",
                " GET / HTTP/1.1",
                "GET / HTTP/1.1 ",
                "GET\t/ HTTP/1.1",
                "GET /\tHTTP/1.1",
                "GET / HTTP/1.32",
                "GET / HTTP/2.0",
                "GET / HTTP/01.1",
                "GET / http/1.1",
                "GET / HTTP/1.1 extra",
                "GET /",
                "GET",
                "G(T / HTTP/1.1",
                "GET a HTTP/1.1",
                "GET /caf\u00e9 HTTP/1.1",
                "GET /\u00ff HTTP/1.1",
                "G\u00c9T / HTTP/1.1"
            })
    @DisplayName("S18 request line with NUL, double spaces, HTTP/1.32 and other deviations: 400")
    void s18_refusesAMalformedRequestLine(String line) throws Exception {
        assertRefused(f, line + "\r\nHost: a\r\n\r\n", 400);
    }

    @ParameterizedTest(name = "S19 {0}")
    @ValueSource(
            strings = {
                "GET / HTTP/1.1\r\nX-A: b",
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b",
                "GET / HTTP/1.1\r\nHost: a\r\nhost: a",
                "GET / HTTP/1.1\r\nHost: a b",
                "GET / HTTP/1.1\r\nHost: a\tb",
                "GET / HTTP/1.1\r\nHost: a\u0001b",
                "GET / HTTP/1.1\r\nHost: ",
                "GET / HTTP/1.1\r\nHost: user@a",
                "GET / HTTP/1.1\r\nHost: a/b",
                "GET / HTTP/1.1\r\nHost: a,b"
            })
    @DisplayName("S19 HTTP/1.1 without Host; two Hosts; Host with spaces or control bytes: 400")
    void s19_refusesAMissingDuplicateOrMalformedHost(String head) throws Exception {
        assertRefused(f, head + "\r\n\r\n", 400);
    }

    @Test
    @DisplayName("S19 an absolute-form target names the host: the backend gets that one Host only")
    void s19_replacesHostWithTheAuthorityOfAnAbsoluteTarget() throws Exception {
        StubBackend blue = f.blue.get(0);
        int before = blue.requests().size();
        try (RawClient c = f.client()) {
            c.send("GET http://x.example/p HTTP/1.1\r\nHost: y.example\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
        StubBackend.Recorded seen = blue.requests().get(before);
        assertThat(seen.uri()).isEqualTo("/p");
        assertThat(seen.headers().getAll("host")).containsExactly("x.example");
    }

    @ParameterizedTest(name = "S23 {0}")
    @ValueSource(
            strings = {
                "GET /f#frag HTTP/1.1",
                "GET /f?x=1#frag HTTP/1.1",
                "GET /# HTTP/1.1",
                "GET http://a/p#frag HTTP/1.1",
                "GET /f%23ok#frag HTTP/1.1"
            })
    @DisplayName("S23 a #fragment in the request target: 400, the backend sees nothing")
    void s23_refusesAFragmentInTheTarget(String line) throws Exception {
        assertThat(assertRefused(f, line + "\r\nHost: a\r\n\r\n", 400)).contains("fragment");
    }

    @Test
    @DisplayName("S23 a percent-encoded # (%23) is part of the path and forwarded as is")
    void s23_forwardsAnEncodedHash() throws Exception {
        StubBackend blue = f.blue.get(0);
        int before = blue.requests().size();
        try (RawClient c = f.client()) {
            c.send("GET /f%23ok HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
        assertThat(blue.requests().get(before).uri()).isEqualTo("/f%23ok");
    }

    @ParameterizedTest(name = "S24 {0}")
    @ValueSource(
            strings = {
                "GET http://u:p@evil.example/abs HTTP/1.1",
                "GET http://u@a/abs HTTP/1.1",
                "GET https://u:p@a/ HTTP/1.1",
                "GET http://a@/ HTTP/1.1",
                "GET http:///abs HTTP/1.1",
                "GET http://a b/ HTTP/1.1"
            })
    @DisplayName("S24 user-info (or no host) in an absolute-form target: 400, the backend sees nothing")
    void s24_refusesUserInfoInAnAbsoluteTarget(String line) throws Exception {
        assertRefused(f, line + "\r\nHost: a\r\n\r\n", 400);
    }

    @Test
    @DisplayName("S24 with teal.hosts set, an authority teal does not serve (Host or absolute form): 421")
    void s24_refusesAuthoritiesOutsideTealHostsWith421() throws Exception {
        try (ProxyFixture served =
                ProxyFixture.start(1, 1, t -> t.hosts("shop.example", "*.shop.example", "[::1]:8080"))) {
            for (String head : new String[] {
                "GET / HTTP/1.1\r\nHost: evil.example",
                "GET /abs HTTP/1.1\r\nHost: xshop.example",
                "GET / HTTP/1.1\r\nHost: shop.example.evil",
                "GET http://evil.example/abs HTTP/1.1\r\nHost: shop.example",
                "GET https://evil.example:443/abs HTTP/1.1\r\nHost: shop.example",
                "GET / HTTP/1.1\r\nHost: [::1]:8081",
                "GET / HTTP/1.0"
            }) {
                assertThat(assertRefused(served, head + "\r\n\r\n", 421)).contains("teal.hosts");
            }
            assertThat(served.count("teal.requests.refused", "reason", "misdirected"))
                    .isEqualTo(7);
            StubBackend blue = served.blue.get(0);
            for (String host : new String[] {
                "shop.example", "SHOP.example:8443", "www.shop.example", "a.b.shop.example.", "[::1]:8080"
            }) {
                try (RawClient c = served.client()) {
                    c.send("GET /ok HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                    assertThat(c.readResponse().status()).as("Host: %s", host).isEqualTo(200);
                }
            }
            try (RawClient c = served.client()) {
                c.send("GET http://www.shop.example/abs HTTP/1.1\r\nHost: evil.example\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(200);
            }
            assertThat(blue.requests()).hasSize(6).allSatisfy(r -> assertThat(r.uri())
                    .isIn("/ok", "/abs"));
        }
    }
}
