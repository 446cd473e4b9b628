package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.metrics.ProxyMetrics;
import dev.teal.proxy.traffic.TrafficWindows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Catalogue row L10, the listener's side: a failed accept pauses accepting briefly, is counted, recovers. */
class AcceptErrorsTest {
    @Test
    void pausesAcceptingBrieflyCountsTheReasonAndResumes() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptErrors(
                new ProxyMetrics(meters, new TrafficWindows(Duration.ofMinutes(5), System::currentTimeMillis))));
        listener.freezeTime();

        listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed: Too many open files"));

        assertThat(listener.config().isAutoRead()).as("accepting paused").isFalse();
        assertThat(meters.get("teal.accept.errors")
                        .tag("reason", "process_descriptors")
                        .counter()
                        .count())
                .isEqualTo(1);
        listener.advanceTimeBy(AcceptErrors.PAUSE_MILLIS - 1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting resumed").isTrue();
        listener.checkException();
        assertThat(listener.finishAndReleaseAll()).isFalse();
    }

    @Test
    void tellsTheReasonsApart() {
        assertThat(AcceptErrors.reason(new IOException("accept(..) failed: Too many open files in system")))
                .isEqualTo(ProxyMetrics.AcceptError.SYSTEM_DESCRIPTORS);
        assertThat(AcceptErrors.reason(new IOException("accept(..) failed: Too many open files")))
                .isEqualTo(ProxyMetrics.AcceptError.PROCESS_DESCRIPTORS);
        assertThat(AcceptErrors.reason(new IOException("accept(..) failed: Software caused connection abort")))
                .isEqualTo(ProxyMetrics.AcceptError.OTHER);
    }
}
