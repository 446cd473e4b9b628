package dev.teal.proxy.hardening;

import static dev.teal.proxy.hardening.Refusals.assertRefused;
import static dev.teal.proxy.testing.ProxyFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.TimeoutSettings;
import dev.teal.proxy.testing.BufferMemoryWatch;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.SlowClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Catalogue rows L1–L9: limits on what a client may send or hold, and slow clients. */
class LimitsIT {
    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static TimeoutSettings timeouts(Duration head, Duration keepAlive, Duration body, Duration send) {
        return new TimeoutSettings(
                head, keepAlive, body, send, Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    @Test
    @DisplayName("L1 request line over the limit (default 8 KiB): 414, close")
    void l1_answers414ForARequestLineOverTheLimit() throws Exception {
        f = ProxyFixture.start();
        assertRefused(f, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
    }

    @Test
    @DisplayName("L2 header block over the limit (default 16 KiB): 431, close")
    void l2_answers431ForAHeaderBlockOverTheLimit() throws Exception {
        f = ProxyFixture.start();
        assertRefused(f, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(17_000) + "\r\n\r\n", 431);
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 90; i++) {
            many.append("X-H").append(i).append(": ").append("v".repeat(200)).append("\r\n");
        }
        assertRefused(f, many.append("\r\n").toString(), 431);
    }

    @Test
    @DisplayName("L3 more than 100 header fields: 431")
    void l3_answers431ForMoreThanAHundredHeaderFields() throws Exception {
        f = ProxyFixture.start();
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 100; i++) {
            head.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(assertRefused(f, head.append("\r\n").toString(), 431)).contains("101 header fields");
    }

    @Test
    @DisplayName("L9 a header name over its limit (default 256 bytes): 431; at the limit it is forwarded")
    void l9_answers431ForAHeaderNameOverTheLimit() throws Exception {
        f = ProxyFixture.start();
        String answer =
                assertRefused(f, "GET / HTTP/1.1\r\nHost: a\r\nX-" + "n".repeat(10 * 1024) + ": v\r\n\r\n", 431);
        assertThat(answer).contains("teal.limits.max-header-name");
        assertRefused(f, "GET / HTTP/1.1\r\nHost: a\r\n" + "n".repeat(257) + ": v\r\n\r\n", 431);
        try (RawClient c = f.client()) {
            c.send("GET /max HTTP/1.1\r\nHost: a\r\n" + "n".repeat(256) + ": v\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
        assertThat(f.blue.get(0).requests()).singleElement().satisfies(r -> assertThat(r.uri())
                .isEqualTo("/max"));
    }

    @Test
    @DisplayName("L9 the name limit is a setting (teal.limits.max-header-name)")
    void l9_honoursAConfiguredHeaderNameLimit() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.maxHeaderName(16));
        assertRefused(f, "GET / HTTP/1.1\r\nHost: a\r\nX-Seventeen-Bytes: v\r\n\r\n", 431);
    }

    @Test
    @DisplayName("L4 slowloris, 1,000 connections sending one header byte at a time: each 408 at the deadline")
    void l4_closesSlowlorisConnectionsAtTheHeadDeadlineWhileServingOthers() throws Exception {
        Duration head = Duration.ofSeconds(2);
        f = ProxyFixture.start(1, 1, t -> t.timeouts(timeouts(head, Duration.ofSeconds(60), head, head)));
        AtomicBoolean slowOnes = new AtomicBoolean(true);
        List<Long> latencies = new ArrayList<>();
        try (SlowClients slow = SlowClients.start(
                f.address(),
                1000,
                "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: slowloris\r\nX-Pad: " + "x".repeat(200) + "\r\n\r\n",
                Duration.ofMillis(250))) {
            CompletableFuture<Void> normal = CompletableFuture.runAsync(() -> {
                while (slowOnes.get()) {
                    long start = System.nanoTime();
                    try (RawClient c = f.client()) {
                        c.send("GET /normal HTTP/1.1\r\nHost: a\r\n\r\n");
                        assertThat(c.readResponse().bodyText()).isEqualTo("blue-1 GET /normal");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    synchronized (latencies) {
                        latencies.add((System.nanoTime() - start) / 1_000_000);
                    }
                }
            });
            assertThat(slow.awaitAllClosed(Duration.ofSeconds(60)))
                    .as("all slow connections closed; %s of 1000 so far", slow.closedCount())
                    .isTrue();
            slowOnes.set(false);
            normal.join();
            assertThat(slow.outcomes()).allSatisfy(o -> {
                assertThat(o.received()).startsWith("HTTP/1.1 408 ");
                assertThat(o.closedAfterFirstByteMillis()).isBetween(head.toMillis() - 50, head.toMillis() + 10_000);
            });
        }
        synchronized (latencies) {
            assertThat(latencies).as("normal requests served meanwhile").hasSizeGreaterThan(5);
            assertThat(latencies.stream().mapToLong(Long::longValue).max().orElseThrow())
                    .as("slowest normal request, ms")
                    .isLessThan(head.toMillis());
        }
        assertThat(f.blue.get(0).receivedBytes()).doesNotContain("slowloris");
    }

    @Test
    @DisplayName("L5 slow body: 408 at the body idle deadline, the upstream connection released")
    void l5_closesAStalledBodyAtTheIdleDeadlineAndReleasesTheUpstream() throws Exception {
        Duration idle = Duration.ofMillis(800);
        f = ProxyFixture.start(
                1, 1, t -> t.timeouts(timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), idle, idle)));
        try (RawClient c = f.client()) {
            long start = System.nanoTime();
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
            assertThat(eventually(Duration.ofSeconds(10), () -> f.blue.get(0).openConnections() == 1))
                    .as("the head went upstream")
                    .isTrue();
            String answer = c.readUntilClose(Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(idle);
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("stalled");
        }
        assertThat(eventually(Duration.ofSeconds(10), () -> f.blue.get(0).openConnections() == 0))
                .as("the upstream connection was closed, not kept")
                .isTrue();
        assertThat(f.blue.get(0).requests()).noneMatch(r -> r.uri().equals("/upload"));
    }

    @Test
    @DisplayName("L6 client stops reading a large response: memory flat, the send deadline closes both sides")
    void l6_stopsReadingTheBackendWhenTheClientStopsReadingAndClosesBothAtTheDeadline() throws Exception {
        Duration send = Duration.ofSeconds(1);
        f = ProxyFixture.start(
                1, 1, s -> s.timeouts(timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), send, send)));
        try (BufferMemoryWatch watch = new BufferMemoryWatch();
                RawClient c = f.client()) {
            c.socket().setReceiveBufferSize(64 * 1024);
            c.send("GET /download/" + (1L << 30) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            // Read nothing: teal must stop pulling from the backend, then give up on this client.
            assertThat(eventually(Duration.ofSeconds(20), () -> f.proxy.clientConnections() == 0))
                    .as("client connection closed at the send deadline")
                    .isTrue();
            assertThat(eventually(Duration.ofSeconds(10), () -> f.blue.get(0).openConnections() == 0))
                    .as("backend connection closed too")
                    .isTrue();
            assertThat(watch.peak()).as("peak pooled buffer memory").isLessThan(32L << 20);
        }
    }

    @Test
    @DisplayName("L7 more connections than max-connections: new ones closed at once, existing ones unaffected")
    void l7_closesConnectionsOverTheLimitAndKeepsTheOthers() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.maxConnections(2));
        List<RawClient> open = new ArrayList<>();
        try {
            open.add(f.client());
            open.add(f.client());
            for (RawClient c : open) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(200);
            }
            for (int i = 0; i < 5; i++) {
                try (RawClient over = f.client()) {
                    over.send("GET /over HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(over.readUntilClose(Duration.ofSeconds(5))).doesNotStartWith("HTTP");
                }
            }
            for (RawClient c : open) {
                c.send("GET /still HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse().bodyText()).isEqualTo("blue-1 GET /still");
            }
        } finally {
            for (RawClient c : open) {
                c.close();
            }
        }
        assertThat(f.blue.get(0).receivedBytes()).doesNotContain("/over");
    }

    @Test
    @DisplayName("L8 idle keep-alive connection: closed quietly after the idle time")
    void l8_closesAnIdleKeepAliveConnectionQuietly() throws Exception {
        Duration idle = Duration.ofMillis(700);
        f = ProxyFixture.start(1, 1, t -> t.timeouts(timeouts(Duration.ofSeconds(10), idle, idle, idle)));
        try (RawClient c = f.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(c.readUntilClose(Duration.ofSeconds(10))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(idle.minusMillis(50));
        }
    }

    @Test
    @DisplayName("L8 more requests than the per-connection maximum: Connection: close on the last, then closed")
    void l8_saysConnectionCloseOnTheLastAllowedRequest() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.maxRequestsPerConnection(3));
        try (RawClient c = f.client()) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /3 HTTP/1.1\r\nHost: a\r\n\r\nGET /4 HTTP/1.1\r\nHost: a\r\n\r\n");
            for (int i = 1; i <= 3; i++) {
                RawResponse r = c.readResponse();
                assertThat(r.bodyText()).isEqualTo("blue-1 GET /" + i);
                assertThat(r.header("connection")).isEqualTo(i == 3 ? "close" : null);
            }
            assertThat(c.readUntilClose(Duration.ofSeconds(10))).isEmpty();
        }
        assertThat(f.blue.get(0).receivedBytes()).doesNotContain("GET /4");
    }
}
