package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.TimeoutSettings;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Body-size limits and the upstream response time-out answer the way an operator of HAProxy or NGINX expects.
 * The other limits and time-outs are catalogue rows (L1–L8) in {@code hardening.LimitsIT}.
 */
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
    void answers504WhenTheBackendIsTooSlow() throws Exception {
        f = ProxyFixture.start(1, 1, t -> t.timeouts(shortTimeouts()));
        try (RawClient c = f.client()) {
            c.send("GET /slow/3000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.bodyText()).contains("blue backend").contains("did not answer within 500 ms");
        }
    }
}
