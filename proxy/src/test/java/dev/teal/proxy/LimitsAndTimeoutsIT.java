package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.TimeoutSettings;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every limit and time-out answers the way an operator of HAProxy or NGINX expects. */
class LimitsAndTimeoutsIT {
    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static TimeoutSettings shortTimeouts() {
        return new TimeoutSettings(
                Duration.ofMillis(500), // request head
                Duration.ofMillis(700), // keep-alive idle
                Duration.ofMillis(500), // client body idle
                Duration.ofSeconds(2), // client send idle
                Duration.ofSeconds(1), // upstream connect
                Duration.ofMillis(500), // upstream response
                Duration.ofSeconds(2)); // upstream idle
    }

    @Test
    void answers414ForALongRequestLine() throws Exception {
        f = ProxyFixture.start();
        try (RawClient c = f.client()) {
            c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readUntilClose(Duration.ofSeconds(5))).startsWith("HTTP/1.1 414 ");
        }
        assertThat(f.blue.get(0).receivedBytes()).isEmpty();
    }

    @Test
    void answers431ForALargeHeaderBlock() throws Exception {
        f = ProxyFixture.start();
        try (RawClient c = f.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(17_000) + "\r\n\r\n");
            assertThat(c.readUntilClose(Duration.ofSeconds(5))).startsWith("HTTP/1.1 431 ");
        }
        assertThat(f.blue.get(0).receivedBytes()).isEmpty();
    }

    @Test
    void answers431ForTooManyHeaderFields() throws Exception {
        f = ProxyFixture.start();
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 101; i++) {
            head.append("X-H").append(i).append(": v\r\n");
        }
        try (RawClient c = f.client()) {
            c.send(head.append("\r\n").toString());
            assertThat(c.readUntilClose(Duration.ofSeconds(5)))
                    .startsWith("HTTP/1.1 431 ")
                    .contains("header fields");
        }
    }

    @Test
    void answers413ForADeclaredBodyOverTheLimit() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.maxBodySize(1000));
        try (RawClient c = f.client()) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n");
            assertThat(c.readUntilClose(Duration.ofSeconds(5))).startsWith("HTTP/1.1 413 ");
        }
        assertThat(f.blue.get(0).receivedBytes()).isEmpty();
    }

    @Test
    void answers413ForAChunkedBodyThatGrowsOverTheLimit() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.maxBodySize(1000));
        try (RawClient c = f.client()) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            c.send("400\r\n" + "x".repeat(1024) + "\r\n0\r\n\r\n");
            assertThat(c.readUntilClose(Duration.ofSeconds(5))).startsWith("HTTP/1.1 413 ");
        }
        assertThat(f.blue.get(0).requests()).noneMatch(r -> r.uri().equals("/upload"));
    }

    @Test
    void answers408ToASlowlorisHeadAndStillServesOthers() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.timeouts(shortTimeouts()));
        try (RawClient slow = f.client();
                RawClient normal = f.client()) {
            slow.send("GET / HTTP/1.1\r\nHo");
            normal.send("GET /fine HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(normal.readResponse().status()).isEqualTo(200);
            assertThat(slow.readUntilClose(Duration.ofSeconds(5))).startsWith("HTTP/1.1 408 ");
        }
    }

    @Test
    void closesIdleKeepAliveConnectionsQuietly() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.timeouts(shortTimeouts()));
        try (RawClient c = f.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            assertThat(c.readUntilClose(Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    void answers408WhenARequestBodyStalls() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.timeouts(shortTimeouts()));
        try (RawClient c = f.client()) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
            assertThat(c.readUntilClose(Duration.ofSeconds(5)))
                    .startsWith("HTTP/1.1 408 ")
                    .contains("stalled");
        }
    }

    @Test
    void answers504WhenTheBackendIsTooSlow() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.timeouts(shortTimeouts()));
        try (RawClient c = f.client()) {
            c.send("GET /slow/3000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.bodyText()).contains("blue backend").contains("did not answer within 500 ms");
        }
    }

    @Test
    void closesConnectionsOverTheLimitAndKeepsTheOthers() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.maxConnections(2));
        List<RawClient> open = new ArrayList<>();
        try {
            open.add(f.client());
            open.add(f.client());
            for (RawClient c : open) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(200);
            }
            try (RawClient third = f.client()) {
                assertThat(third.closedWithin(Duration.ofSeconds(5))).isTrue();
            }
            open.get(0).send("GET /still HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(open.get(0).readResponse().bodyText()).isEqualTo("blue-1 GET /still");
        } finally {
            for (RawClient c : open) {
                c.close();
            }
        }
    }

    @Test
    void saysConnectionCloseOnTheLastAllowedRequest() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.maxRequestsPerConnection(3));
        try (RawClient c = f.client()) {
            for (int i = 1; i <= 3; i++) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                RawResponse r = c.readResponse();
                assertThat(r.header("connection")).isEqualTo(i == 3 ? "close" : null);
            }
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
    }
}
