package dev.teal.proxy.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Color;
import dev.teal.proxy.ColorTraffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrafficWindowsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TrafficWindows windows = new TrafficWindows(Duration.ofMinutes(1), now::get);

    @Test
    void countsRequestsAndFiveHundredsPerColor() {
        for (int i = 0; i < 90; i++) {
            windows.record(Color.GREEN, 200, 1_000_000);
        }
        for (int i = 0; i < 10; i++) {
            windows.record(Color.GREEN, 503, 1_000_000);
        }
        windows.record(Color.GREEN, 404, 1_000_000);
        windows.record(Color.BLUE, 500, 1_000_000);

        ColorTraffic green = windows.read(Color.GREEN, Duration.ofMinutes(1));
        assertThat(green.requests()).isEqualTo(101);
        assertThat(green.errors()).isEqualTo(10);
        assertThat(green.errorRate()).isCloseTo(10 / 101.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(windows.read(Color.BLUE, Duration.ofMinutes(1)).errors()).isEqualTo(1);
    }

    @Test
    void forgetsWhatIsOlderThanTheWindow() {
        windows.record(Color.GREEN, 500, 1_000_000);
        now.addAndGet(Duration.ofSeconds(30).toMillis());
        windows.record(Color.GREEN, 200, 1_000_000);

        assertThat(windows.read(Color.GREEN, Duration.ofMinutes(1)).requests()).isEqualTo(2);
        assertThat(windows.read(Color.GREEN, Duration.ofSeconds(10)).requests()).isEqualTo(1);

        now.addAndGet(Duration.ofSeconds(45).toMillis());
        ColorTraffic later = windows.read(Color.GREEN, Duration.ofMinutes(1));
        assertThat(later.requests()).isEqualTo(1);
        assertThat(later.errors()).isZero();

        now.addAndGet(Duration.ofHours(3).toMillis());
        assertThat(windows.read(Color.GREEN, Duration.ofMinutes(1)).requests()).isZero();
        assertThat(windows.read(Color.GREEN, Duration.ofMinutes(1)).p99()).isEmpty();
    }

    @Test
    void reusesASlotOnceTimeWentRoundTheRing() {
        windows.record(Color.GREEN, 500, 1_000_000);
        // One full turn of the ring later, the same place in it holds a new slot: the old counts are gone.
        now.addAndGet(TrafficWindows.SLOTS * 1000L);
        windows.record(Color.GREEN, 200, 1_000_000);

        ColorTraffic green = windows.read(Color.GREEN, Duration.ofMinutes(1));
        assertThat(green.requests()).isEqualTo(1);
        assertThat(green.errors()).isZero();
    }

    @Test
    void givesTheNinetyNinthPercentileToWithinAQuarter() {
        for (int i = 0; i < 980; i++) {
            windows.record(Color.BLUE, 200, Duration.ofMillis(5).toNanos());
        }
        for (int i = 0; i < 20; i++) {
            windows.record(Color.BLUE, 200, Duration.ofMillis(80).toNanos());
        }

        ColorTraffic blue = windows.read(Color.BLUE, Duration.ofMinutes(1));
        assertThat(blue.p99().orElseThrow().toNanos()).isBetween(80_000_000L, 100_000_000L);
        assertThat(blue.p50().orElseThrow().toNanos()).isBetween(5_000_000L, 6_250_000L);
    }

    @Test
    void bucketsCoverEveryLatencyAndBoundTheirValues() {
        for (long nanos : new long[] {0, 1, 1023, 1024, 1500, 999_999, 1_000_000, 5_000_000_000L, Long.MAX_VALUE}) {
            int bucket = LatencyBuckets.of(nanos);
            assertThat(bucket).isBetween(0, LatencyBuckets.COUNT - 1);
            if (bucket > 0 && bucket < LatencyBuckets.COUNT - 1) {
                assertThat(LatencyBuckets.upperBound(bucket)).isGreaterThanOrEqualTo(nanos);
                assertThat(LatencyBuckets.upperBound(bucket - 1)).isLessThan(nanos);
            }
        }
    }

    @Test
    void countsEveryRecordFromManyThreadsAtOnce() throws Exception {
        int threads = 4;
        int each = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    windows.record(Color.GREEN, i % 10 == 0 ? 502 : 200, 2_000_000);
                    windows.sessionStarted(Color.GREEN);
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join();
        }

        ColorTraffic green = windows.read(Color.GREEN, Duration.ofMinutes(1));
        assertThat(green.requests()).isEqualTo((long) threads * each);
        assertThat(green.errors()).isEqualTo((long) threads * each / 10);
        assertThat(green.sessionsStarted()).isEqualTo((long) threads * each);
    }
}
