package dev.teal.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class CoarseTimeTest {
    @Test
    void followsTheSystemClocksWithinItsResolution() {
        try (CoarseTime time = CoarseTime.start(Duration.ofMillis(1))) {
            long first = time.read();
            Instant wall = time.clock().instant();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (time.read() == first && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            }

            assertThat(time.read()).isGreaterThan(first);
            assertThat(Duration.between(wall, Instant.now()).abs()).isLessThan(Duration.ofSeconds(1));
            assertThat(Math.abs(System.nanoTime() - time.read()))
                    .isLessThan(Duration.ofSeconds(1).toNanos());
        }
    }

    @Test
    void stopsRefreshingOnceClosed() throws InterruptedException {
        CoarseTime time = CoarseTime.start(Duration.ofMillis(1));

        time.close();

        assertThat(time.awaitStopped(Duration.ofSeconds(10))).isTrue();
        long frozen = time.read();
        assertThat(time.read()).isEqualTo(frozen);
    }

    @Test
    void refusesAResolutionOutsideItsRange() {
        assertThatThrownBy(() -> CoarseTime.start(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resolution: PT0S (expected: > 0 and <= 1s)");
        assertThatThrownBy(() -> CoarseTime.start(Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
    }
}
