package dev.teal.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a leaked buffer while it ran. Registered for every
 * test by auto-detection (junit-platform.properties); the reports reach {@link LeakRecorder} through the
 * logging configuration of the tests.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        assertNoLeaks(context.getDisplayName());
    }

    /** The same check for tests that JUnit Jupiter does not run (jqwik properties): call it after them. */
    public static void assertNoLeaks(String what) {
        // Leaks are reported when a leaked object is collected and the detector next tracks a buffer.
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
        assertThat(LeakRecorder.drain())
                .as("Netty buffer leaks reported while %s ran", what)
                .isEmpty();
    }
}
