package dev.teal.admin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Leak detection runs at {@code
 * paranoid} in tests (the parent pom's argLine); a leak is reported when the leaked buffer has been
 * collected and a later allocation checks the queue, hence the GC and allocations here.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            allocateAndRelease();
        }
        assertThat(LeakRecorder.drain()).as("Netty LEAK reports").isEmpty();
    }

    private static void allocateAndRelease() {
        for (int i = 0; i < 64; i++) {
            ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(16);
            a.release();
            ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(16);
            b.release();
        }
    }
}
