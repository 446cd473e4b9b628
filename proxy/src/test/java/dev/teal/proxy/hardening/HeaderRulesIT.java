package dev.teal.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.teal.config.Color;
import dev.teal.config.ForwardingSettings;
import dev.teal.config.SessionSettings;
import dev.teal.config.SessionSettings.KeyKind;
import dev.teal.proxy.Split;
import dev.teal.proxy.testing.Browser;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import dev.teal.proxy.testing.TestSettings;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Catalogue rows H1–H4 and the data plane's part of S21: which request headers cross teal, which ones teal
 * sets itself, the pin cookies it ignores (H5), and that nothing a client sends can put a line break into a
 * header teal writes.
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
    @DisplayName("H2 source-address sessions: X-Forwarded-For decides only when the peer is a trusted proxy")
    void h2_keysSessionsByThePeerUnlessItIsATrustedProxy() throws Exception {
        List<String> colors = new ArrayList<>();
        try (ProxyFixture untrusted =
                        ProxyFixture.start(1, 1, sourceAddress(List.of()).andThen(t -> t.green(50)));
                ProxyFixture trusted = ProxyFixture.start(
                        1, 1, sourceAddress(List.of("127.0.0.0/8")).andThen(t -> t.green(50)))) {
            for (int i = 0; i < 30; i++) {
                String xff = "10.1.0." + i;
                assertThat(new Browser(untrusted.address())
                                .header("X-Forwarded-For", xff)
                                .color("/"))
                        .as("every client behind one untrusted peer is that peer's one session")
                        .isEqualTo(new Browser(untrusted.address()).color("/"));
                colors.add(new Browser(trusted.address())
                        .header("X-Forwarded-For", xff)
                        .color("/"));
            }
            assertThat(untrusted.proxy.traffic().snapshot().color(Color.BLUE).activeSessions()
                            + untrusted
                                    .proxy
                                    .traffic()
                                    .snapshot()
                                    .color(Color.GREEN)
                                    .activeSessions())
                    .isEqualTo(1);
            trusted.proxy.traffic().setSplit(new Split(0));
            for (int i = 0; i < 30; i++) {
                assertThat(new Browser(trusted.address())
                                .header("X-Forwarded-For", "10.1.0." + i)
                                .color("/"))
                        .as("a client behind a trusted proxy keeps its own pin")
                        .isEqualTo(colors.get(i));
            }
            assertThat(colors).contains("blue", "green");
        }
    }

    private static Function<TestSettings, TestSettings> sourceAddress(List<String> trusted) {
        return t -> t.sessions(new SessionSettings(
                KeyKind.SOURCE_ADDRESS,
                t.sessions().cookie(),
                "JSESSIONID",
                "Authorization",
                Duration.ofMinutes(5),
                trusted));
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
    @DisplayName(
            "H5 pin cookie with an unknown color, garbage, oversized, twice, or from another secret: a new session")
    void h5_startsANewSessionForAPinCookieItCannotTrustAndNeverReflectsIt() throws Exception {
        String secret = "h5-secret-".repeat(4);
        try (ProxyFixture pinned = ProxyFixture.start(1, 1, withSecret(secret).andThen(t -> t.green(50)));
                ProxyFixture other = ProxyFixture.start(1, 1, withSecret("another-secret-".repeat(3)))) {
            Browser genuine = new Browser(pinned.address());
            genuine.get("/");
            String valid = genuine.cookies().get("teal");
            Browser foreign = new Browser(other.address());
            foreign.get("/");
            Map<String, String> cookies = new LinkedHashMap<>();
            cookies.put("unknown color", "teal=" + withColorByte(valid, (byte) 3, secret));
            cookies.put("garbage", "teal=garbage");
            cookies.put("oversized", "teal=" + "x".repeat(8000));
            cookies.put("twice", "teal=" + valid + "; other=1; teal=" + valid);
            cookies.put("another secret", "teal=" + foreign.cookies().get("teal"));
            cookies.put("tampered", "teal=" + valid.substring(0, 50) + (valid.charAt(50) == 'A' ? 'B' : 'A'));
            for (Map.Entry<String, String> cookie : cookies.entrySet()) {
                try (RawClient c = pinned.client()) {
                    c.send("GET / HTTP/1.1\r\nHost: a\r\nCookie: " + cookie.getValue() + "\r\n\r\n");
                    RawResponse r = c.readResponse();
                    assertThat(r.status()).as(cookie.getKey()).isEqualTo(200);
                    assertThat(r.header("set-cookie"))
                            .as(cookie.getKey())
                            .startsWith("teal=")
                            .doesNotContain(valid);
                    assertThat(String.join("\n", r.headers()) + r.bodyText())
                            .as("%s is never reflected", cookie.getKey())
                            .doesNotContain(cookie.getValue().substring("teal=".length()));
                }
            }
            assertThat(pinned.count("teal.cookie.rejected")).isEqualTo(cookies.size());
            assertThat(pinned.count("teal.cookie.rejected", "reason", "color")).isEqualTo(1);
        }
    }

    private static Function<TestSettings, TestSettings> withSecret(String secret) {
        return t -> t.sessions(new SessionSettings(
                KeyKind.COOKIE,
                new SessionSettings.CookieSettings(
                        "teal", List.of(secret), SessionSettings.CookieSettings.Secure.AUTO, Optional.empty()),
                "JSESSIONID",
                "Authorization",
                Duration.ofMinutes(30),
                List.of()));
    }

    /**
     * A genuinely signed pin cookie that names a color teal does not know: the value's layout is version,
     * 16-byte id, color, 4-byte time, then the first 16 bytes of HMAC-SHA-256 over those 22 bytes.
     */
    private static String withColorByte(String valid, byte color, String secret) throws Exception {
        byte[] raw = Base64.getUrlDecoder().decode(valid);
        raw[17] = color;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(raw, 0, 22);
        System.arraycopy(mac.doFinal(), 0, raw, 22, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
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
