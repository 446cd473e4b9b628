package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.TimeoutSettings;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.ResourceLeakDetector;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream through with back-pressure: a gigabyte passes each way while the buffers teal (and the
 * stub backend, in the same JVM) hold stay small, and a client that stops reading stops the backend too.
 */
class StreamingIT {
    private static final long GIB = 1L << 30;
    /** Generous for two event loops' worth of socket buffers, far below anything that buffers a body. */
    private static final long BUFFER_BUDGET = 96L << 20;

    private ProxyFixture f;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ResourceLeakDetector.Level level;

    @BeforeAll
    static void sampleLeaksOnly() {
        // Paranoid leak detection takes a stack trace on every buffer slice: a gigabyte would take many
        // minutes. These tests measure memory; sampled leak detection still runs while they do.
        level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterAll
    static void restoreLeakDetection() {
        ResourceLeakDetector.setLevel(level);
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void downloadsAGigabyteWithFlatBufferUse() throws Exception {
        f = ProxyFixture.start();
        try (MemoryWatch watch = new MemoryWatch()) {
            HttpResponse<InputStream> r = http.send(
                    HttpRequest.newBuilder(f.uri("/download/" + GIB)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long n = 0;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[1 << 16];
                int k;
                while ((k = in.read(buf)) >= 0) {
                    n += k;
                }
            }
            assertThat(n).isEqualTo(GIB);
            assertThat(watch.peak()).as("peak pooled buffer memory").isLessThan(BUFFER_BUDGET);
        }
    }

    @Test
    void uploadsAGigabyteWithFlatBufferUse() throws Exception {
        f = ProxyFixture.start(
                1,
                1,
                t -> t.limits(l -> new dev.teal.config.LimitSettings(
                        l.maxRequestLine(),
                        l.maxHeaderSize(),
                        l.maxHeaderCount(),
                        0,
                        l.maxConnections(),
                        l.maxRequestsPerConnection())));
        try (MemoryWatch watch = new MemoryWatch()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(f.uri("/upload"))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(GIB)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("received " + GIB);
            assertThat(watch.peak()).as("peak pooled buffer memory").isLessThan(BUFFER_BUDGET);
        }
    }

    @Test
    void stopsReadingTheBackendWhenTheClientStopsReadingAndClosesAtTheSendDeadline() throws Exception {
        TimeoutSettings t = new TimeoutSettings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofSeconds(3),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60));
        f = ProxyFixture.start(1, 1, s -> s.timeouts(t));
        try (MemoryWatch watch = new MemoryWatch();
                RawClient c = f.client()) {
            c.socket().setReceiveBufferSize(64 * 1024);
            c.send("GET /download/" + GIB + " HTTP/1.1\r\nHost: a\r\n\r\n");
            // Read nothing: teal must stop pulling from the backend, then give up on this client.
            assertThat(ProxyFixture.eventually(Duration.ofSeconds(10), () -> f.proxy.clientConnections() == 0))
                    .as("client connection closed at the send deadline")
                    .isTrue();
            assertThat(watch.peak()).isLessThan(BUFFER_BUDGET);
        }
    }

    /** Samples the default allocator's used memory on a background thread. */
    static final class MemoryWatch implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;

        MemoryWatch() {
            ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
            thread = new Thread(() -> {
                while (running.get()) {
                    if (alloc instanceof ByteBufAllocatorMetricProvider p) {
                        long used = p.metric().usedDirectMemory() + p.metric().usedHeapMemory();
                        peak.accumulateAndGet(used, Math::max);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    /** N bytes made on the fly. */
    static final class Generated extends InputStream {
        private long left;

        Generated(long n) {
            left = n;
        }

        @Override
        public int read() {
            return left-- > 0 ? 'y' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'y');
            left -= n;
            return n;
        }
    }
}
