package dev.teal.proxy;

import static dev.teal.proxy.testing.ProxyFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Color;
import dev.teal.config.HealthCheckSettings;
import dev.teal.config.PassiveHealthSettings;
import dev.teal.config.UpstreamSettings;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Backends that refuse, break, answer 5xx or fail their health check: clients see as little as possible. */
class BackendFailureIT {
    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static String get(RawClient c, String path) throws Exception {
        c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse r = c.readResponse();
        return r.status() + " " + r.bodyText();
    }

    @Test
    void retriesARefusedConnectionOnAnotherInstanceThenEjectsAndRestoresIt() throws Exception {
        f = ProxyFixture.start(
                2,
                1,
                t -> t.upstream(new UpstreamSettings(
                        64,
                        Duration.ofSeconds(30),
                        new PassiveHealthSettings(2, Duration.ofMillis(800), Duration.ofSeconds(5)))));
        int port = f.blue.get(0).address().getPort();
        f.blue.get(0).close();
        for (int i = 0; i < 20; i++) {
            try (RawClient c = f.client()) {
                assertThat(get(c, "/x" + i)).startsWith("200 blue-2 ");
            }
        }
        assertThat(f.proxy.traffic().snapshot().color(Color.BLUE).backends())
                .anyMatch(b -> !b.healthy() && b.ejectedUntil().isPresent());
        StubBackend back = StubBackend.start("blue-1", port);
        f.blue.set(0, back);
        assertThat(eventually(Duration.ofSeconds(10), () -> {
                    try (RawClient c = f.client()) {
                        return get(c, "/back").startsWith("200 blue-1");
                    } catch (Exception e) {
                        return false;
                    }
                }))
                .as("the restarted instance gets requests again")
                .isTrue();
    }

    @Test
    void answers503QuicklyWhenNoInstanceOfTheColorAcceptsConnections() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t);
        String backend = f.blue.get(0).backend().toString();
        f.blue.get(0).close();
        try (RawClient c = f.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText())
                    .contains("no blue backend accepted the connection")
                    .contains(backend);
        }
    }

    @Test
    void abortsTheClientWhenTheBackendBreaksMidResponse() throws Exception {
        f = ProxyFixture.start();
        try (RawClient c = f.client()) {
            c.send("GET /reset-after-head HTTP/1.1\r\nHost: a\r\n\r\n");
            String seen = c.readUntilClose(Duration.ofSeconds(5));
            assertThat(seen).startsWith("HTTP/1.1 200 ").contains("content-length: 1000");
            int bodyStart = seen.indexOf("\r\n\r\n") + 4;
            assertThat(seen.length() - bodyStart)
                    .as("body bytes before the close")
                    .isLessThan(1000);
        }
        assertThat(f.blue.get(0).requests()).hasSize(1);
    }

    @Test
    void retriesAnIdempotentRequestOnceWhenAPooledConnectionWasClosed() throws Exception {
        f = ProxyFixture.start();
        AtomicInteger calls = new AtomicInteger();
        try (RawClient c = f.client()) {
            assertThat(get(c, "/warm")).startsWith("200 ");
            // The backend answers the next request by closing, as a server whose keep-alive ran out would.
            f.blue.get(0).respondWith(r -> calls.incrementAndGet() == 1 ? null : ok("fresh"));
            assertThat(get(c, "/again")).isEqualTo("200 fresh");
        }
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void neverRetriesAPost() throws Exception {
        f = ProxyFixture.start();
        AtomicInteger calls = new AtomicInteger();
        f.blue.get(0).respondWith(r -> {
            calls.incrementAndGet();
            return null;
        });
        try (RawClient c = f.client()) {
            c.send("POST /pay HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("closed the connection before answering");
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void ejectsABackendThatKeepsAnswering5xx() throws Exception {
        f = ProxyFixture.start(
                2,
                1,
                t -> t.upstream(new UpstreamSettings(
                        64,
                        Duration.ofSeconds(30),
                        new PassiveHealthSettings(3, Duration.ofSeconds(30), Duration.ofMinutes(1)))));
        f.blue.get(0).respondWith(r -> error());
        int errors = 0;
        for (int i = 0; i < 40; i++) {
            try (RawClient c = f.client()) {
                if (get(c, "/").startsWith("500")) {
                    errors++;
                }
            }
        }
        assertThat(errors).isEqualTo(3);
        assertThat(f.proxy.traffic().snapshot().color(Color.BLUE).backends())
                .filteredOn(b -> !b.healthy())
                .singleElement()
                .satisfies(b -> assertThat(b.backend()).isEqualTo(f.blue.get(0).backend()));
    }

    @Test
    void takesOutAndRestoresAnInstanceByItsActiveHealthCheck() throws Exception {
        AtomicInteger healthStatus = new AtomicInteger(200);
        f = ProxyFixture.start(
                2,
                1,
                t -> t.healthCheck(
                        Color.BLUE,
                        new HealthCheckSettings(
                                Optional.of("/health"), Duration.ofMillis(100), Duration.ofMillis(500), 1, 1)));
        f.blue.get(0)
                .respondWith(r -> r.uri().equals("/health")
                        ? new DefaultFullHttpResponse(
                                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(healthStatus.get()))
                        : ok("blue-1"));
        healthStatus.set(503);
        assertThat(eventually(Duration.ofSeconds(5), () -> unhealthyBlue() == 1))
                .isTrue();
        for (int i = 0; i < 10; i++) {
            try (RawClient c = f.client()) {
                assertThat(get(c, "/")).startsWith("200 blue-2");
            }
        }
        healthStatus.set(200);
        assertThat(eventually(Duration.ofSeconds(5), () -> unhealthyBlue() == 0))
                .isTrue();
    }

    private long unhealthyBlue() {
        return f.proxy.traffic().snapshot().color(Color.BLUE).backends().stream()
                .filter(b -> !b.healthy())
                .count();
    }

    private static DefaultFullHttpResponse ok(String body) {
        return new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.copiedBuffer(body.getBytes()));
    }

    private static DefaultFullHttpResponse error() {
        return new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                Unpooled.copiedBuffer("boom".getBytes()));
    }
}
