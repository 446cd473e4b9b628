package dev.teal.proxy.upstream;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Backend;
import dev.teal.config.Color;
import dev.teal.config.PassiveHealthSettings;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend instance's shared state: outstanding requests (for least-outstanding balancing) and its
 * health. Read and written from every event loop, so only atomics and volatiles: no lock.
 */
public final class BackendState {
    private static final Logger log = LoggerFactory.getLogger(BackendState.class);

    private final Backend backend;
    private final Color color;
    private final InetSocketAddress resolvedAddress;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger ejections = new AtomicInteger();
    /** System.nanoTime() when the current ejection ends; meaningful only while {@link #ejected} is set. */
    private volatile long ejectedUntilNanos;

    private volatile boolean ejected;
    private volatile boolean activeHealthy = true;

    BackendState(Color color, Backend backend) {
        this.color = requireNonNull(color, "color");
        this.backend = requireNonNull(backend, "backend");
        // Resolved here, off the event loops (start and reload), because Netty's default resolver blocks.
        this.resolvedAddress = new InetSocketAddress(
                backend.address().host(), backend.address().port());
        if (resolvedAddress.isUnresolved()) {
            log.warn("{} backend {}: host name does not resolve; connections to it will fail", color, backend);
        }
    }

    public InetSocketAddress resolvedAddress() {
        return resolvedAddress;
    }

    public Backend backend() {
        return backend;
    }

    public Color color() {
        return color;
    }

    /** Whether it may get requests now: passing active checks and not ejected. */
    public boolean healthy(long nowNanos) {
        return activeHealthy && !ejectedAt(nowNanos);
    }

    boolean ejectedAt(long nowNanos) {
        return ejected && nowNanos - ejectedUntilNanos < 0;
    }

    /** Remaining ejection in nanoseconds, or 0. */
    public long ejectionRemainingNanos(long nowNanos) {
        return ejectedAt(nowNanos) ? ejectedUntilNanos - nowNanos : 0;
    }

    public boolean activeHealthy() {
        return activeHealthy;
    }

    public int outstanding() {
        return outstanding.get();
    }

    public void requestStarted() {
        outstanding.incrementAndGet();
    }

    public void requestFinished() {
        outstanding.decrementAndGet();
    }

    /** A request got an answer that does not count against the backend. */
    public void succeeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        if (ejected && !ejectedAt(System.nanoTime())) {
            ejected = false;
            ejections.set(0);
            log.info("{} backend {} is serving again after its ejection", color, backend);
        }
    }

    /**
     * A refused or broken connection, or a 5xx answer. Enough of them in a row eject the backend for a
     * while that doubles with each ejection that was not followed by a success.
     */
    public void failed(long nowNanos, PassiveHealthSettings settings) {
        if (consecutiveFailures.incrementAndGet() < settings.consecutiveFailures() || ejectedAt(nowNanos)) {
            return;
        }
        consecutiveFailures.set(0);
        int n = Math.min(ejections.incrementAndGet(), 30);
        long base = settings.baseEjection().toNanos();
        long max = settings.maxEjection().toNanos();
        long length = base > (max >> (n - 1)) ? max : Math.min(max, base << (n - 1));
        ejectedUntilNanos = nowNanos + length;
        ejected = true;
        log.warn(
                "{} backend {} ejected for {} ms after {} failures in a row (ejection #{})",
                color,
                backend,
                length / 1_000_000,
                settings.consecutiveFailures(),
                n);
    }

    void activeCheck(boolean healthy) {
        if (healthy != activeHealthy) {
            activeHealthy = healthy;
            if (healthy) {
                log.info("{} backend {} passes its health check again", color, backend);
            } else {
                log.warn("{} backend {} fails its health check: taken out of rotation", color, backend);
            }
        }
    }

    @Override
    public String toString() {
        return color + " " + backend;
    }
}
