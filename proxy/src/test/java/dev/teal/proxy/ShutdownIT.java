package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A graceful shutdown finishes what is in flight, closes idle connections politely, and accepts nothing new. */
class ShutdownIT {
    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void finishesInFlightRequestsAndClosesIdleConnections() throws Exception {
        f = ProxyFixture.start();
        try (RawClient busy = f.client();
                RawClient idle = f.client()) {
            idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(idle.readResponse().status()).isEqualTo(200);
            busy.send("GET /slow/800 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(ProxyFixture.eventually(
                            Duration.ofSeconds(5),
                            () -> f.blue.get(0).connectionsAccepted() >= 2
                                    || !f.blue.get(0).receivedBytes().isEmpty()
                                            && f.blue.get(0).receivedBytes().contains("/slow/800")))
                    .isTrue();
            var port = f.address();
            CompletableFuture<Void> shutdown =
                    CompletableFuture.runAsync(() -> f.proxy.shutdown(Duration.ofSeconds(10)));

            assertThat(idle.closedWithin(Duration.ofSeconds(5)))
                    .as("idle connection closed")
                    .isTrue();
            RawResponse r = busy.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("blue-1 slow");
            assertThat(r.header("connection")).isEqualTo("close");
            shutdown.get();
            assertThat(busy.closedWithin(Duration.ofSeconds(5))).isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RawClient(port).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void closesWhatIsStillBusyAtTheDrainDeadline() throws Exception {
        f = ProxyFixture.start();
        try (RawClient busy = f.client()) {
            busy.send("GET /slow/10000 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(ProxyFixture.eventually(
                            Duration.ofSeconds(5),
                            () -> f.blue.get(0).receivedBytes().contains("/slow/10000")))
                    .isTrue();
            long start = System.nanoTime();
            f.proxy.shutdown(Duration.ofMillis(500));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(busy.closedWithin(Duration.ofSeconds(2))).isTrue();
        }
    }
}
