package dev.teal.proxy;

import static dev.teal.proxy.testing.ProxyFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Color;
import dev.teal.config.SessionSettings;
import dev.teal.config.SessionSettings.KeyKind;
import dev.teal.proxy.testing.Browser;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import dev.teal.proxy.testing.TestSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions over real sockets: new sessions follow the split, existing ones stay on their color until
 * they idle out, end, or are moved by force; the drain is counted and bounded.
 */
class SessionsIT {
    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static Function<TestSettings, TestSettings> sessions(KeyKind key, Duration idle, List<String> trusted) {
        return t -> t.sessions(
                new SessionSettings(key, t.sessions().cookie(), "JSESSIONID", "Authorization", idle, trusted));
    }

    private Browser browser() {
        return new Browser(f.address());
    }

    @Test
    void sendsAQuarterOfNewSessionsToGreenAtSplit25() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.green(25));
        int green = 0;
        try (RawClient c = f.client()) {
            for (int i = 0; i < 4000; i++) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                RawResponse r = c.readResponse();
                assertThat(r.header("set-cookie"))
                        .startsWith("teal=")
                        .contains("HttpOnly")
                        .contains("SameSite=Lax");
                if (r.bodyText().startsWith("green")) {
                    green++;
                }
            }
        }
        assertThat(green).isBetween(880, 1120);
    }

    @Test
    void keepsEverySessionOnItsColorWhileTheSplitMoves() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.green(25));
        List<Browser> browsers = new ArrayList<>();
        List<String> colors = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Browser b = browser();
            browsers.add(b);
            colors.add(b.color("/first"));
        }
        assertThat(colors).contains("blue", "green");
        for (int split : new int[] {0, 25, 100, 0}) {
            f.proxy.traffic().setSplit(new Split(split));
            for (int i = 0; i < browsers.size(); i++) {
                assertThat(browsers.get(i).color("/again"))
                        .as("browser %d at split %d", i, split)
                        .isEqualTo(colors.get(i));
            }
        }
        f.proxy.traffic().setSplit(new Split(100));
        for (int i = 0; i < 20; i++) {
            assertThat(browser().color("/new")).isEqualTo("green");
        }
        assertThat(f.proxy.traffic().snapshot().color(Color.BLUE).drain()).isEqualTo(DrainState.DRAINING);
    }

    @Test
    void drainsBlueAsItsSessionsIdleOut() throws Exception {
        f = ProxyFixture.start(1, 1, sessions(KeyKind.COOKIE, Duration.ofSeconds(2), List.of()));
        for (int i = 0; i < 10; i++) {
            assertThat(browser().color("/")).isEqualTo("blue");
        }
        Instant rampedAt = Instant.now();
        f.proxy.traffic().setSplit(new Split(100));
        ColorSnapshot blue = f.proxy.traffic().snapshot().color(Color.BLUE);
        assertThat(blue.drain()).isEqualTo(DrainState.DRAINING);
        assertThat(blue.activeSessions()).isEqualTo(10);
        assertThat(blue.drainDeadline())
                .hasValueSatisfying(d -> assertThat(d).isBetween(rampedAt, rampedAt.plusSeconds(4)));
        assertThat(eventually(
                        Duration.ofSeconds(10),
                        () -> f.proxy.traffic().snapshot().color(Color.BLUE).drain() == DrainState.DRAINED))
                .isTrue();
        assertThat(f.proxy.traffic().snapshot().color(Color.BLUE).activeSessions())
                .isZero();
        assertThat(f.count("teal.sessions.ended", "color", "blue", "reason", "idled"))
                .isEqualTo(10);
    }

    @Test
    void endsASessionAtOnceWhenTheApplicationLogsOut() throws Exception {
        f = ProxyFixture.start();
        f.blue.get(0)
                .respondWith(r -> r.uri().equals("/logout")
                        ? withCookie("bye", "JSESSIONID=; Max-Age=0; Path=/")
                        : withCookie("hello", "JSESSIONID=" + UUID.randomUUID() + "; Path=/"));
        Browser b = browser();
        b.get("/login");
        assertThat(f.proxy.traffic().snapshot().color(Color.BLUE).activeSessions())
                .isEqualTo(1);
        b.get("/logout");
        assertThat(f.proxy.traffic().snapshot().color(Color.BLUE).activeSessions())
                .isZero();
        assertThat(f.count("teal.sessions.ended", "reason", "closed")).isEqualTo(1);
        assertThat(b.cookies()).doesNotContainKey("teal");
    }

    @Test
    void keepsASessionWithAnOpenWebSocketActivePastTheIdleTimeout() throws Exception {
        f = ProxyFixture.start(1, 1, sessions(KeyKind.COOKIE, Duration.ofSeconds(1), List.of()));
        Browser b = browser();
        b.get("/");
        HttpClient http = HttpClient.newHttpClient();
        WebSocket ws = http.newWebSocketBuilder()
                .header("Cookie", "teal=" + b.cookies().get("teal"))
                .buildAsync(URI.create("ws://127.0.0.1:" + f.address().getPort() + "/ws"), new WebSocket.Listener() {})
                .get(5, TimeUnit.SECONDS);
        try {
            assertThat(holdsFor(
                            Duration.ofSeconds(3),
                            () -> f.proxy.traffic().snapshot().color(Color.BLUE).activeSessions() == 1))
                    .as("the session stays active while its WebSocket is open")
                    .isTrue();
            assertThat(f.proxy.traffic().snapshot().color(Color.BLUE).upgraded())
                    .isEqualTo(1);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
        assertThat(eventually(
                        Duration.ofSeconds(10),
                        () -> f.proxy.traffic().snapshot().color(Color.BLUE).activeSessions() == 0))
                .as("idles out once the WebSocket closed")
                .isTrue();
    }

    @Test
    void startsANewSessionForATamperedOrForeignCookie() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.green(50));
        Browser b = browser();
        b.get("/");
        String genuine = b.cookies().get("teal");
        char last = genuine.charAt(genuine.length() - 1);
        String tampered = genuine.substring(0, genuine.length() - 1) + (last == 'A' ? 'B' : 'A');
        try (ProxyFixture other = ProxyFixture.start()) {
            Browser foreign = new Browser(other.address());
            foreign.get("/");
            for (String cookie : List.of(tampered, foreign.cookies().get("teal"), "garbage", "x".repeat(5000))) {
                try (RawClient c = f.client()) {
                    c.send("GET / HTTP/1.1\r\nHost: a\r\nCookie: teal=" + cookie + "\r\n\r\n");
                    RawResponse r = c.readResponse();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.header("set-cookie")).startsWith("teal=").doesNotContain(cookie);
                }
            }
        }
        assertThat(f.count("teal.cookie.rejected")).isEqualTo(4);
    }

    @Test
    void pinsByTheApplicationsOwnSessionCookie() throws Exception {
        f = ProxyFixture.start(
                1,
                1,
                sessions(KeyKind.APP_COOKIE, Duration.ofMinutes(5), List.of()).andThen(t -> t.green(50)));
        appSessions();
        Map<Browser, String> colors = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            Browser b = browser();
            colors.put(b, b.color("/login"));
            b.forget("teal"); // only the application's cookie comes back
        }
        f.proxy.traffic().setSplit(new Split(100));
        for (Map.Entry<Browser, String> e : colors.entrySet()) {
            e.getKey().forget("teal");
            assertThat(e.getKey().color("/again")).isEqualTo(e.getValue());
        }
        assertThat(colors.values()).contains("blue");
    }

    @Test
    void pinsByARequestHeader() throws Exception {
        f = ProxyFixture.start(
                1, 1, sessions(KeyKind.HEADER, Duration.ofMinutes(5), List.of()).andThen(t -> t.green(50)));
        List<String> tokens = new ArrayList<>();
        List<String> colors = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String token = "Bearer token-" + i;
            tokens.add(token);
            Browser b = browser().header("Authorization", token);
            colors.add(b.color("/"));
        }
        f.proxy.traffic().setSplit(new Split(100));
        for (int i = 0; i < tokens.size(); i++) {
            Browser cookieless = browser().header("Authorization", tokens.get(i));
            assertThat(cookieless.color("/")).isEqualTo(colors.get(i));
        }
        assertThat(colors).contains("blue", "green");
    }

    @Test
    void pinsByClientAddressTrustingForwardedForOnlyFromTrustedProxies() throws Exception {
        f = ProxyFixture.start(
                1,
                1,
                sessions(KeyKind.SOURCE_ADDRESS, Duration.ofMinutes(5), List.of("127.0.0.0/8"))
                        .andThen(t -> t.green(50)));
        List<String> colors = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            colors.add(browser().header("X-Forwarded-For", "10.1.0." + i).color("/"));
        }
        f.proxy.traffic().setSplit(new Split(0));
        for (int i = 0; i < 30; i++) {
            assertThat(browser().header("X-Forwarded-For", "10.1.0." + i).color("/"))
                    .isEqualTo(colors.get(i));
        }
        assertThat(colors).contains("blue", "green");
    }

    @Test
    void keepsPinsAndCountsAcrossAGracefulRestart() throws Exception {
        StubBackend blue = StubBackend.start("blue-1");
        StubBackend green = StubBackend.start("green-1");
        try {
            TestSettings s = TestSettings.backends(List.of(blue.backend()), List.of(green.backend()))
                    .green(50);
            TealProxy first = TealProxy.start(s.build(), new SimpleMeterRegistry());
            List<Browser> browsers = new ArrayList<>();
            List<String> colors = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Browser b = new Browser(first.localAddress());
                browsers.add(b);
                colors.add(b.color("/"));
            }
            long blueSessions = first.traffic().snapshot().color(Color.BLUE).activeSessions();
            first.shutdown(Duration.ofSeconds(5));

            TealProxy second = TealProxy.start(s.build(), new SimpleMeterRegistry(), new Split(100));
            try {
                assertThat(second.traffic().snapshot().color(Color.BLUE).activeSessions())
                        .isEqualTo(blueSessions);
                for (int i = 0; i < browsers.size(); i++) {
                    Browser moved = new Browser(second.localAddress());
                    moved.cookies().putAll(browsers.get(i).cookies());
                    assertThat(moved.color("/")).isEqualTo(colors.get(i));
                }
            } finally {
                second.shutdown(Duration.ofSeconds(5));
            }
        } finally {
            blue.close();
            green.close();
        }
    }

    @Test
    void forceMovesEveryBlueSessionToGreen() throws Exception {
        f = ProxyFixture.start();
        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Browser b = browser();
            assertThat(b.color("/")).isEqualTo("blue");
            browsers.add(b);
        }
        f.proxy.traffic().setSplit(new Split(100));
        f.proxy.traffic().forceMove(Color.BLUE);
        for (Browser b : browsers) {
            assertThat(b.color("/")).isEqualTo("green");
        }
        assertThat(f.count("teal.sessions.ended", "color", "blue", "reason", "forced"))
                .isEqualTo(10);
    }

    @Test
    void movesRemainingSessionsOnceTheDrainPassesMaxWait() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.drainMaxWait(Duration.ofSeconds(1)));
        Browser b = browser();
        assertThat(b.color("/")).isEqualTo("blue");
        f.proxy.traffic().setSplit(new Split(100));
        assertThat(b.color("/")).isEqualTo("blue");
        assertThat(eventually(Duration.ofSeconds(10), () -> {
                    try {
                        return b.color("/").equals("green");
                    } catch (Exception e) {
                        return false;
                    }
                }))
                .isTrue();
        assertThat(f.count("teal.sessions.ended", "reason", "forced")).isEqualTo(1);
    }

    private void appSessions() {
        for (StubBackend backend : List.of(f.blue.get(0), f.green.get(0))) {
            backend.respondWith((HttpRequest r) -> {
                String cookie = r.headers().get("Cookie");
                FullHttpResponse res = text(backend.name());
                if (cookie == null || !cookie.contains("JSESSIONID=")) {
                    res.headers().add("Set-Cookie", "JSESSIONID=" + UUID.randomUUID() + "; Path=/; HttpOnly");
                }
                return res;
            });
        }
    }

    private static FullHttpResponse withCookie(String body, String setCookie) {
        FullHttpResponse r = text(body);
        r.headers().add("Set-Cookie", setCookie);
        return r;
    }

    private static FullHttpResponse text(String body) {
        return new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.copiedBuffer(body.getBytes()));
    }

    /** True when {@code condition} holds at every check for the whole {@code period}. */
    private static boolean holdsFor(Duration period, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        return condition.getAsBoolean();
    }
}
