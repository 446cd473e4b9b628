package dev.teal.proxy.hardening;

import static dev.teal.proxy.testing.ProxyFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.TimeoutSettings;
import dev.teal.config.UpstreamSettings;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import java.io.File;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Catalogue row L10: connection churn and clients that leave while their request waits. Every descriptor
 * a client's connection took (its socket, its backend connection) is given back when the client goes, not
 * when a time-out runs out. Row L11 (the descriptor limit at start) is in {@code DescriptorBudgetTest} and,
 * with the launcher, in the admin-api module.
 */
class DescriptorsIT {
    /**
     * Threads opening and closing connections as fast as they can, in this JVM: each is bounded by its own
     * connect and close, so that the flood does not starve the proxy of the CPU it runs on (the flood at
     * full scale, from outside, is in benchmarks/load/churn.sh).
     */
    private static final int CHURNERS = 2;
    /**
     * Between two connections of a churner: a flood generated on the proxy's own two cores outruns any
     * user-space acceptor (the kernel completes handshakes into the backlog without it), so the test
     * floods at a rate the machine can serve; benchmarks/load/churn.sh floods at full speed.
     */
    private static final long PAUSE_NANOS = 1_000_000;

    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static TimeoutSettings keepAlive(Duration keepAlive) {
        return new TimeoutSettings(
                Duration.ofSeconds(10),
                keepAlive,
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                Duration.ofSeconds(3),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60));
    }

    /** This JVM's open descriptors: the proxy's, the stub backends' and the test's own. */
    private static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    @DisplayName(
            "L10 a client that closes (FIN) while its request waits on a backend: its socket and the backend connection closed at once")
    void l10_releasesTheClientAndTheBackendConnectionWhenTheClientLeavesMidRequest() throws Exception {
        f = ProxyFixture.start();
        try (RawClient c = f.client()) {
            c.send("GET /slow/30000 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(eventually(Duration.ofSeconds(5), () -> f.blue.get(0).openConnections() == 1))
                    .as("the request reached the backend")
                    .isTrue();
            c.socket().shutdownOutput();
            assertThat(c.closedWithin(Duration.ofSeconds(3)))
                    .as("teal closed the client connection (no CLOSE-WAIT until the response time-out)")
                    .isTrue();
        }
        assertThat(eventually(Duration.ofSeconds(3), () -> f.blue.get(0).openConnections() == 0))
                .as("the backend connection closed too; open: %s", f.blue.get(0).openConnections())
                .isTrue();
    }

    @Test
    @DisplayName("L10 a client that resets while its request waits on a backend: the backend connection closed at once")
    void l10_releasesTheBackendConnectionWhenTheClientResetsMidRequest() throws Exception {
        f = ProxyFixture.start();
        RawClient c = f.client();
        c.send("GET /slow/30000 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(eventually(Duration.ofSeconds(5), () -> f.blue.get(0).openConnections() == 1))
                .isTrue();
        c.socket().setSoLinger(true, 0);
        c.close();
        assertThat(eventually(Duration.ofSeconds(3), () -> f.blue.get(0).openConnections() == 0))
                .as("the backend connection closed; open: %s", f.blue.get(0).openConnections())
                .isTrue();
    }

    @Test
    @DisplayName(
            "L10 churn (FIN and RST, with and without a request) beside normal traffic: served throughout, descriptors back to baseline")
    void l10_servesNormalTrafficThroughChurnAndGivesEveryDescriptorBack() throws Exception {
        Duration keepAlive = Duration.ofSeconds(2);
        // Pooled backend connections idle out before client connections do, as reference.conf advises.
        f = ProxyFixture.start(1, 1, t -> t.timeouts(keepAlive(keepAlive))
                .upstream(new UpstreamSettings(
                        64, Duration.ofSeconds(1), t.build().upstream().passiveHealth())));
        try (RawClient warm = f.client()) {
            warm.send("GET /warm HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(warm.readResponse().status()).isEqualTo(200);
        }
        assertThat(eventually(Duration.ofSeconds(5), () -> f.proxy.clientConnections() == 0))
                .isTrue();
        int baseline = openDescriptors();
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicInteger churned = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CHURNERS);
        List<CompletableFuture<Void>> churners = new ArrayList<>();
        byte[] request = "GET /churn HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int t = 0; t < CHURNERS; t++) {
            int kind = t % 4;
            churners.add(CompletableFuture.runAsync(
                    () -> {
                        while (churning.get()) {
                            try (Socket s = new Socket(
                                    f.address().getAddress(), f.address().getPort())) {
                                if (kind < 2) {
                                    s.getOutputStream().write(request);
                                }
                                if (kind % 2 == 1) {
                                    s.setSoLinger(true, 0);
                                } else {
                                    s.shutdownOutput();
                                }
                                churned.incrementAndGet();
                            } catch (Exception e) {
                                // A connection refused or reset under the flood is part of the flood.
                            }
                            java.util.concurrent.locks.LockSupport.parkNanos(PAUSE_NANOS);
                        }
                    },
                    pool));
        }
        int served = 0;
        long slowest = 0;
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        try {
            while (System.nanoTime() - end < 0) {
                try (RawClient c = f.client()) {
                    long start = System.nanoTime();
                    c.send("GET /normal HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(c.readResponse().bodyText()).isEqualTo("blue-1 GET /normal");
                    served++;
                    slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
                }
            }
        } finally {
            churning.set(false);
            CompletableFuture.allOf(churners.toArray(CompletableFuture[]::new)).join();
            pool.shutdown();
        }
        assertThat(churned.get()).as("connections churned").isGreaterThan(500);
        System.out.printf(
                "L10 churn: %d connections churned, %d normal requests served, slowest %d ms%n",
                churned.get(), served, slowest);
        assertThat(served).as("normal requests served during the churn").isPositive();
        assertThat(eventually(keepAlive.plusSeconds(3), () -> openDescriptors() <= baseline + 2))
                .as(
                        "descriptors back to the baseline of %s within the keep-alive time-out; now %s",
                        baseline, openDescriptors())
                .isTrue();
        assertThat(f.count("teal.accept.errors")).isZero();
    }
}
