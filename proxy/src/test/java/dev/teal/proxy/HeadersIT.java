package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hop-by-hop headers never cross teal in responses, framing headers survive a hostile Connection, and HTTP/1.0
 * keep-alive is honoured. The request-header rules of the catalogue (H1–H4) are in {@code hardening.HeaderRulesIT}.
 */
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
