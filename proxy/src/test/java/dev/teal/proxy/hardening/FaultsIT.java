package dev.teal.proxy.hardening;

import static dev.teal.proxy.testing.ProxyFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Color;
import dev.teal.config.HealthCheckSettings;
import dev.teal.config.PassiveHealthSettings;
import dev.teal.config.SessionSettings;
import dev.teal.config.SessionSettings.KeyKind;
import dev.teal.config.UpstreamSettings;
import dev.teal.proxy.BackendSnapshot;
import dev.teal.proxy.ColorSnapshot;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import dev.teal.proxy.testing.Browser;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Catalogue rows D3–D8: backends that break, refuse, close, fail or recover, and a color that drains. Rows
 * that need the launcher (D1, D2) or the state directory (D9, D10) are in the admin-api module.
 */
class FaultsIT {
    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static UpstreamSettings passiveHealth(int failures, Duration base, Duration max) {
        return new UpstreamSettings(64, Duration.ofSeconds(30), new PassiveHealthSettings(failures, base, max));
    }

    private static RawResponse get(RawClient c, String path) throws Exception {
        c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
        return c.readResponse();
    }

    private static String getOnce(ProxyFixture f, String path) throws Exception {
        try (RawClient c = f.client()) {
            RawResponse r = get(c, path);
            return r.status() + " " + r.bodyText();
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    private BackendSnapshot blueBackend(StubBackend b) {
        return f.proxy.traffic().snapshot().color(Color.BLUE).backends().stream()
                .filter(s -> s.backend().equals(b.backend()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    @DisplayName("D3 blue at 0 %: no new session to blue, pinned ones still served there, drained once idle")
    void d3_drainsBlueAsItsSessionsIdleOutWhileServingThemUntilThen() throws Exception {
        Duration idle = Duration.ofSeconds(2);
        f = ProxyFixture.start(
                1,
                1,
                t -> t.sessions(new SessionSettings(
                        KeyKind.COOKIE, t.sessions().cookie(), "JSESSIONID", "Authorization", idle, List.of())));
        List<Browser> pinned = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Browser b = new Browser(f.address());
            assertThat(b.color("/")).isEqualTo("blue");
            pinned.add(b);
        }
        try (RawClient inFlight = f.client()) {
            inFlight.send("GET /slow/1000 HTTP/1.1\r\nHost: a\r\nCookie: teal="
                    + pinned.get(0).cookies().get("teal") + "\r\n\r\n");
            assertThat(eventually(
                            Duration.ofSeconds(10),
                            () -> f.proxy.traffic().snapshot().color(Color.BLUE).inFlight() == 1))
                    .isTrue();
            Instant rampedAt = Instant.now();
            f.proxy.traffic().setSplit(new Split(100));

            ColorSnapshot blue = f.proxy.traffic().snapshot().color(Color.BLUE);
            assertThat(blue.drain()).isEqualTo(DrainState.DRAINING);
            assertThat(blue.activeSessions()).isEqualTo(10);
            assertThat(blue.drainDeadline())
                    .hasValueSatisfying(d -> assertThat(d).isBetween(rampedAt, rampedAt.plusSeconds(4)));
            for (int i = 0; i < 10; i++) {
                assertThat(new Browser(f.address()).color("/new")).isEqualTo("green");
            }
            for (Browser b : pinned.subList(1, pinned.size())) {
                assertThat(b.color("/pinned")).isEqualTo("blue");
            }
            assertThat(inFlight.readResponse().bodyText()).isEqualTo("blue-1 slow");
        }
        assertThat(eventually(
                        Duration.ofSeconds(15),
                        () -> f.proxy.traffic().snapshot().color(Color.BLUE).drain() == DrainState.DRAINED))
                .isTrue();
        assertThat(f.proxy.traffic().snapshot().color(Color.BLUE).activeSessions())
                .isZero();
        assertThat(f.count("teal.sessions.ended", "color", "blue", "reason", "idled"))
                .isEqualTo(10);
        assertThat(f.blue.get(0).requests()).noneMatch(r -> r.uri().equals("/new"));
    }

    @Test
    @DisplayName("D4 backend resets after sending headers: the client connection is aborted, no retry")
    void d4_abortsTheClientWhenTheBackendBreaksMidResponseAndDoesNotRetry() throws Exception {
        f = ProxyFixture.start();
        try (RawClient c = f.client()) {
            c.send("GET /reset-after-head HTTP/1.1\r\nHost: a\r\n\r\n");
            String seen = c.readUntilClose(Duration.ofSeconds(10));
            assertThat(seen).startsWith("HTTP/1.1 200 ").contains("content-length: 1000");
            int bodyStart = seen.indexOf("\r\n\r\n") + 4;
            assertThat(seen.length() - bodyStart)
                    .as("body bytes before the close")
                    .isLessThan(1000);
            assertThat(seen).doesNotContain("<<timeout>>");
        }
        assertThat(f.blue.get(0).requests()).hasSize(1);
    }

    @Test
    @DisplayName("D5 one backend refuses connections: retried on another instance of the same color")
    void d5_retriesARefusedConnectionOnAnotherInstanceOfTheSameColor() throws Exception {
        f = ProxyFixture.start(2, 1, t -> t.upstream(passiveHealth(2, Duration.ofSeconds(3), Duration.ofSeconds(10))));
        int port = f.blue.get(0).address().getPort();
        f.blue.get(0).close();
        for (int i = 0; i < 20; i++) {
            assertThat(getOnce(f, "/x" + i)).startsWith("200 blue-2 ");
        }
        assertThat(f.green.get(0).requests()).isEmpty();
        assertThat(blueBackend(f.blue.get(0)).ejectedUntil()).isPresent();
        f.blue.set(0, StubBackend.start("blue-1", port));
        assertThat(eventually(Duration.ofSeconds(20), () -> {
                    try {
                        return getOnce(f, "/back").startsWith("200 blue-1");
                    } catch (Exception e) {
                        return false;
                    }
                }))
                .as("the restarted instance gets requests again")
                .isTrue();
    }

    @Test
    @DisplayName("D6 a pooled connection the backend closed while idle: the next GET succeeds on a fresh one")
    void d6_usesAFreshConnectionAfterTheBackendClosedAnIdleOne() throws Exception {
        f = ProxyFixture.start();
        StubBackend blue = f.blue.get(0);
        try (RawClient c = f.client()) {
            assertThat(get(c, "/warm").status()).isEqualTo(200);
            blue.closeConnections();
            assertThat(get(c, "/after-close").bodyText()).isEqualTo("blue-1 GET /after-close");
        }
        assertThat(blue.requests())
                .filteredOn(r -> r.uri().equals("/after-close"))
                .hasSize(1);
        assertThat(blue.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    @DisplayName("D6 a pooled connection that breaks as it is reused: an idempotent request is retried once")
    void d6_retriesAnIdempotentRequestOnceWhenAPooledConnectionBreaks() throws Exception {
        f = ProxyFixture.start();
        AtomicInteger calls = new AtomicInteger();
        try (RawClient c = f.client()) {
            assertThat(get(c, "/warm").status()).isEqualTo(200);
            // The backend answers the next request by closing, as a server whose keep-alive just ran out would.
            f.blue.get(0).respondWith(r -> calls.incrementAndGet() == 1 ? null : text(HttpResponseStatus.OK, "fresh"));
            assertThat(get(c, "/again").bodyText()).isEqualTo("fresh");
        }
        assertThat(calls.get()).isEqualTo(2);
        assertThat(f.blue.get(0).connectionsAccepted()).isEqualTo(2);
    }

    @Test
    @DisplayName("D6 never a POST: a POST whose connection broke is answered 502, not retried")
    void d6_neverRetriesAPost() throws Exception {
        f = ProxyFixture.start();
        AtomicInteger calls = new AtomicInteger();
        try (RawClient c = f.client()) {
            assertThat(get(c, "/warm").status()).isEqualTo(200);
            f.blue.get(0).respondWith(r -> {
                calls.incrementAndGet();
                return null;
            });
            c.send("POST /pay HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("closed the connection before answering");
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    @DisplayName("D7 one backend returns 5xx repeatedly: ejected for a growing while, restored when healthy")
    void d7_ejectsABackendThatKeepsFailingForLongerEachTimeAndRestoresIt() throws Exception {
        Duration base = Duration.ofMillis(600);
        f = ProxyFixture.start(2, 1, t -> t.upstream(passiveHealth(3, base, Duration.ofSeconds(30))));
        StubBackend bad = f.blue.get(0);
        bad.respondWith(r -> text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "boom"));

        Duration first = ejectionAfterFailures(bad);
        assertThat(first).isBetween(base.minusMillis(200), base);
        assertThat(eventually(Duration.ofSeconds(10), () -> blueBackend(bad).healthy()))
                .as("back in rotation once the first ejection ended")
                .isTrue();
        Duration second = ejectionAfterFailures(bad);
        assertThat(second).as("the second ejection").isGreaterThan(base).isLessThanOrEqualTo(base.multipliedBy(2));

        bad.respondWith(null);
        assertThat(eventually(Duration.ofSeconds(10), () -> {
                    try {
                        return getOnce(f, "/healthy-again").startsWith("200 blue-1 ");
                    } catch (Exception e) {
                        return false;
                    }
                }))
                .as("restored once it answers well")
                .isTrue();
        assertThat(blueBackend(bad).healthy()).isTrue();
    }

    /** Sends requests until {@code backend} is ejected; returns how long the ejection is. */
    private Duration ejectionAfterFailures(StubBackend backend) throws Exception {
        for (int i = 0; i < 200; i++) {
            String answer = getOnce(f, "/d7-" + i);
            assertThat(answer).matches("200 blue-2 .*|500 boom");
            Optional<Instant> until = blueBackend(backend).ejectedUntil();
            if (until.isPresent()) {
                return Duration.between(Instant.now(), until.get());
            }
        }
        throw new AssertionError(backend.name() + " was never ejected");
    }

    @Test
    @DisplayName("D8 active health check fails, then recovers: removed, then restored")
    void d8_takesOutAndRestoresAnInstanceByItsActiveHealthCheck() throws Exception {
        AtomicInteger healthStatus = new AtomicInteger(200);
        f = ProxyFixture.start(
                2,
                1,
                t -> t.healthCheck(
                        Color.BLUE,
                        new HealthCheckSettings(
                                Optional.of("/health"), Duration.ofMillis(100), Duration.ofMillis(500), 1, 1)));
        StubBackend checked = f.blue.get(0);
        checked.respondWith(r -> r.uri().equals("/health")
                ? text(HttpResponseStatus.valueOf(healthStatus.get()), "")
                : text(HttpResponseStatus.OK, "blue-1"));
        healthStatus.set(503);
        assertThat(eventually(
                        Duration.ofSeconds(10), () -> !blueBackend(checked).healthy()))
                .isTrue();
        int before = (int) checked.requests().stream()
                .filter(r -> !r.uri().equals("/health"))
                .count();
        for (int i = 0; i < 10; i++) {
            assertThat(getOnce(f, "/")).startsWith("200 blue-2");
        }
        assertThat(checked.requests().stream().filter(r -> !r.uri().equals("/health")))
                .hasSize(before);
        healthStatus.set(200);
        assertThat(eventually(Duration.ofSeconds(10), () -> blueBackend(checked).healthy()))
                .isTrue();
        assertThat(eventually(Duration.ofSeconds(10), () -> {
                    try {
                        return getOnce(f, "/").equals("200 blue-1");
                    } catch (Exception e) {
                        return false;
                    }
                }))
                .as("the instance serves again")
                .isTrue();
    }
}
