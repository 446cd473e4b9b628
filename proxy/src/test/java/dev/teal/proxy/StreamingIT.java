package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.BufferMemoryWatch;
import dev.teal.proxy.testing.ProxyFixture;
import io.netty.util.ResourceLeakDetector;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream through with back-pressure: a gigabyte passes each way while the buffers teal (and the
 * stub backend, in the same JVM) hold stay small. (A client that stops reading is catalogue row L6.)
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
        try (BufferMemoryWatch watch = new BufferMemoryWatch()) {
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
        f = ProxyFixture.start(1, 1, t -> t.maxBodySize(0));
        try (BufferMemoryWatch watch = new BufferMemoryWatch()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(f.uri("/upload"))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(GIB)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("received " + GIB);
            assertThat(watch.peak()).as("peak pooled buffer memory").isLessThan(BUFFER_BUDGET);
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
