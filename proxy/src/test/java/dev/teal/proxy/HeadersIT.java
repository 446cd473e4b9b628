package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proxy headers are set by teal, hop-by-hop headers never cross it, and the Host is kept. */
class HeadersIT {
    private static ProxyFixture f;

    @BeforeAll
    static void start() {
        f = ProxyFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static HttpHeaders forward(String head) throws Exception {
        int before = f.blue.get(0).requests().size();
        try (RawClient c = f.client()) {
            c.send(head + "\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
        List<StubBackend.Recorded> seen = f.blue.get(0).requests();
        assertThat(seen).hasSize(before + 1);
        return seen.get(before).headers();
    }

    @Test
    void appendsThePeerToXForwardedForAndOverwritesProtoAndHost() throws Exception {
        HttpHeaders h = forward("GET / HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 1.2.3.4\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nForwarded: for=6.6.6.6\r\n");
        assertThat(h.get("x-forwarded-for")).isEqualTo("1.2.3.4, 127.0.0.1");
        assertThat(h.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(h.get("x-forwarded-host")).isEqualTo("shop.example");
        assertThat(h.get("forwarded")).isNull();
        assertThat(h.get("host")).isEqualTo("shop.example");
        assertThat(h.get("via")).isEqualTo("1.1 teal");
    }

    @Test
    void removesHopByHopHeadersAndTheOnesConnectionNames() throws Exception {
        HttpHeaders h = forward("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret\r\nX-Secret: s\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: h2c\r\n"
                + "X-Kept: yes\r\n");
        assertThat(h.names())
                .map(String::toLowerCase)
                .doesNotContain("connection", "x-secret", "keep-alive", "proxy-connection", "te", "upgrade");
        assertThat(h.get("x-kept")).isEqualTo("yes");
    }

    @Test
    void neverLetsConnectionDropFramingHeaders() throws Exception {
        try (RawClient c = f.client()) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nConnection: Content-Length\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.readResponse().bodyText()).isEqualTo("received 5");
        }
    }

    @Test
    void forwardsUtf8HeaderValuesAsTheyCame() throws Exception {
        int before = f.blue.get(0).requests().size();
        try (RawClient c = f.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            c.send("\u00e9\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
        String seen = f.blue.get(0).requests().get(before).headers().get("x-name");
        assertThat(seen.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void dropsHeadersWithUnderscores() throws Exception {
        HttpHeaders h = forward("GET / HTTP/1.1\r\nHost: a\r\nX_Forwarded_For: 9.9.9.9\r\n");
        assertThat(h.contains("X_Forwarded_For")).isFalse();
    }

    @Test
    void turnsAnAbsoluteTargetIntoOriginFormWithItsHost() throws Exception {
        forward("GET http://shop.example/cart?x=1 HTTP/1.1\r\nHost: other\r\n");
        StubBackend.Recorded last =
                f.blue.get(0).requests().get(f.blue.get(0).requests().size() - 1);
        assertThat(last.uri()).isEqualTo("/cart?x=1");
        assertThat(last.headers().get("host")).isEqualTo("shop.example");
    }

    @Test
    void removesHopByHopHeadersFromResponses() throws Exception {
        f.blue.get(0).respondWith(r -> {
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.copiedBuffer("ok".getBytes()));
            res.headers()
                    .set("Connection", "X-Internal")
                    .set("X-Internal", "secret")
                    .set("Keep-Alive", "timeout=9");
            return res;
        });
        try (RawClient c = f.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.header("x-internal")).isNull();
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.header("via")).isEqualTo("1.1 teal");
        } finally {
            f.blue.get(0).respondWith(null);
        }
    }

    @Test
    void keepsAnHttp10ClientAliveOnlyWhenItAsks() throws Exception {
        try (RawClient c = f.client()) {
            c.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            c.send("GET /b HTTP/1.0\r\n\r\n");
            RawResponse second = c.readResponse();
            assertThat(second.bodyText()).isEqualTo("blue-1 GET /b");
            assertThat(c.closedWithin(java.time.Duration.ofSeconds(5))).isTrue();
        }
    }
}
