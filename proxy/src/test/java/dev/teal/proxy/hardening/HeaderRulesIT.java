package dev.teal.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.teal.config.ForwardingSettings;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Catalogue rows H1–H4 and the data plane's part of S21: which request headers cross teal, which ones teal
 * sets itself, and that nothing a client sends can put a line break into a header teal writes. (H5, the pin
 * cookie, is tested with the session machinery.)
 */
class HeaderRulesIT {
    private static ProxyFixture f;
    private static ProxyFixture withForwarded;

    @BeforeAll
    static void start() {
        f = ProxyFixture.start(1, 1, t -> t.accessLog(true));
        withForwarded =
                ProxyFixture.start(1, 1, t -> t.forwarding(new ForwardingSettings(true, true, true, "teal", true)));
    }

    @AfterAll
    static void stop() {
        f.close();
        withForwarded.close();
    }

    /** Sends {@code head} (without its final empty line) and returns the headers the backend saw. */
    private static HttpHeaders forward(ProxyFixture fixture, String head) throws Exception {
        StubBackend blue = fixture.blue.get(0);
        int before = blue.requests().size();
        try (RawClient c = fixture.client()) {
            c.send(head + "\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
        List<StubBackend.Recorded> seen = blue.requests();
        assertThat(seen).hasSize(before + 1);
        return seen.get(before).headers();
    }

    private static List<String> names(HttpHeaders h) {
        return h.names().stream().map(String::toLowerCase).toList();
    }

    @Test
    @DisplayName(
            "H1 Connection: close, X-Foo with X-Foo, Keep-Alive, Proxy-Connection, TE, Upgrade: none reaches the backend")
    void h1_removesHopByHopHeadersAndTheOnesConnectionNames() throws Exception {
        HttpHeaders h = forward(
                f,
                "GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-Foo\r\nX-Foo: secret\r\nKeep-Alive: timeout=5\r\n"
                        + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: h2c\r\nTrailer: X-T\r\n"
                        + "Proxy-Authorization: Basic eA==\r\nX-Kept: yes\r\n");
        assertThat(names(h))
                .doesNotContain(
                        "connection",
                        "x-foo",
                        "keep-alive",
                        "proxy-connection",
                        "te",
                        "upgrade",
                        "trailer",
                        "proxy-authorization");
        assertThat(h.get("x-kept")).isEqualTo("yes");
    }

    @Test
    @DisplayName("H1 Upgrade: websocket on a POST (not a WebSocket handshake): not forwarded")
    void h1_removesAnUpgradeThatIsNotAWebSocketHandshake() throws Exception {
        StubBackend blue = f.blue.get(0);
        int before = blue.requests().size();
        try (RawClient c = f.client()) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Content-Length: 2\r\n\r\nok");
            assertThat(c.readResponse().bodyText()).isEqualTo("received 2");
        }
        assertThat(names(blue.requests().get(before).headers())).doesNotContain("upgrade", "connection");
    }

    @Test
    @DisplayName("H2 X-Forwarded-For: 1.2.3.4 is forwarded as 1.2.3.4, <peer>; teal's own log names the peer")
    void h2_appendsThePeerToXForwardedForAndDecidesByThePeer() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("teal.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Level level = access.getLevel();
        lines.start();
        access.addAppender(lines);
        access.setLevel(Level.INFO);
        try {
            HttpHeaders h = forward(f, "GET /h2 HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.2.3.4\r\n");
            assertThat(h.getAll("x-forwarded-for")).containsExactly("1.2.3.4, 127.0.0.1");
            // The exchange is logged once the response has gone out, which the client may see first.
            assertThat(ProxyFixture.eventually(Duration.ofSeconds(10), () -> logged(lines, "/h2")))
                    .isTrue();
        } finally {
            access.detachAppender(lines);
            access.setLevel(level);
        }
        assertThat(lines.list)
                .filteredOn(line -> "/h2".equals(fields(line).get("path")))
                .singleElement()
                .satisfies(line -> assertThat(fields(line)).containsEntry("client", "127.0.0.1"));
    }

    private static boolean logged(ListAppender<ILoggingEvent> lines, String path) {
        // AppenderBase appends under the appender's lock.
        synchronized (lines) {
            return lines.list.stream().anyMatch(line -> path.equals(fields(line).get("path")));
        }
    }

    private static Map<String, Object> fields(ILoggingEvent line) {
        return line.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
    }

    @Test
    @DisplayName("H3 client-supplied X-Forwarded-Proto, -Host and Forwarded: overwritten, never trusted")
    void h3_overwritesForwardingHeadersTheClientSent() throws Exception {
        String head = "GET / HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: evil.example\r\nForwarded: for=6.6.6.6;host=evil.example\r\n"
                + "X-Forwarded-Proto: https\r\n";
        HttpHeaders h = forward(f, head);
        assertThat(h.getAll("x-forwarded-proto")).containsExactly("http");
        assertThat(h.getAll("x-forwarded-host")).containsExactly("shop.example");
        assertThat(h.getAll("forwarded")).isEmpty();

        HttpHeaders rfc7239 = forward(withForwarded, head);
        assertThat(rfc7239.getAll("forwarded")).containsExactly("for=127.0.0.1;proto=http;host=\"shop.example\"");
        assertThat(rfc7239.getAll("x-forwarded-host")).containsExactly("shop.example");
    }

    @Test
    @DisplayName("H4 X_Forwarded_For (underscores): dropped")
    void h4_dropsHeadersWithUnderscores() throws Exception {
        HttpHeaders h = forward(f, "GET / HTTP/1.1\r\nHost: a\r\nX_Forwarded_For: 9.9.9.9\r\nX_Real_IP: 9.9.9.9\r\n");
        assertThat(names(h)).noneMatch(n -> n.contains("_"));
        assertThat(h.getAll("x-forwarded-for")).containsExactly("127.0.0.1");
    }

    @Test
    @DisplayName("S21 encoded CR/LF in what teal copies into headers (Host, X-Forwarded-For, Via, target): stays inert")
    void s21_neverTurnsClientInputIntoALineBreakInAHeader() throws Exception {
        StubBackend blue = f.blue.get(0);
        int before = blue.receivedBytes().length();
        HttpHeaders h = forward(
                f,
                "GET /a%0d%0aX-Injected:%20path HTTP/1.1\r\nHost: a%0d%0aX-Injected:1\r\n"
                        + "X-Forwarded-For: 1.2.3.4%0d%0aX-Injected: xff\r\nVia: 1.1 p%0d%0aX-Injected: via\r\n");
        assertThat(names(h)).doesNotContain("x-injected");
        assertThat(h.get("x-forwarded-host")).isEqualTo("a%0d%0aX-Injected:1");
        String seen = blue.receivedBytes().substring(before);
        assertThat(seen.split("\r\n")).noneMatch(line -> line.toLowerCase().startsWith("x-injected"));
    }

    @Test
    @DisplayName("S21 teal's own answers carry no header taken from the request")
    void s21_writesNoRequestInputIntoTheHeadersOfItsOwnAnswers() throws Exception {
        try (RawClient c = f.client()) {
            c.send("GET /%0d%0aSet-Cookie:%20stolen=1 HTTP/1.1\r\nHost: bad host\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.headers())
                    .extracting(line -> line.substring(0, line.indexOf(':')).toLowerCase())
                    .containsExactlyInAnyOrder("content-type", "content-length", "cache-control", "connection");
        }
    }
}
