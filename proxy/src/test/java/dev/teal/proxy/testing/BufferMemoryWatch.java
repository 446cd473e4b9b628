package dev.teal.proxy.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the default Netty allocator's used memory (direct and heap) on a background thread and keeps the
 * peak: what a test that streams through the proxy (and the stub backend, in the same JVM) held at most.
 */
public final class BufferMemoryWatch implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;

    public BufferMemoryWatch() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        thread = new Thread(() -> {
            while (running.get()) {
                if (alloc instanceof ByteBufAllocatorMetricProvider p) {
                    long used = p.metric().usedDirectMemory() + p.metric().usedHeapMemory();
                    peak.accumulateAndGet(used, Math::max);
                }
                LockSupport.parkNanos(2_000_000);
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    public long peak() {
        return peak.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
