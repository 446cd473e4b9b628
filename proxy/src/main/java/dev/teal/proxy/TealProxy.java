package dev.teal.proxy;

import dev.teal.config.TealSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The data plane: binds the client listener, owns the event loops and every connection.
 *
 * <pre>{@code
 * try (TealProxy proxy = TealProxy.start(settings, registry)) {
 *     proxy.traffic().setSplit(new Split(25));
 * }
 * }</pre>
 */
public final class TealProxy implements AutoCloseable {
    private TealProxy() {}

    /**
     * Starts the proxy and binds its listener.
     *
     * @throws java.io.UncheckedIOException when the listener cannot be bound
     */
    public static TealProxy start(TealSettings settings, MeterRegistry meters) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The bound client listener (the real port when configured with port 0). */
    public InetSocketAddress localAddress() {
        throw new UnsupportedOperationException("not yet");
    }

    public TrafficControl traffic() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Stops accepting, lets in-flight requests finish for at most {@code drainTimeout}, closes idle
     * keep-alive connections politely, then closes everything. Blocks until done.
     */
    public void shutdown(Duration drainTimeout) {
        throw new UnsupportedOperationException("not yet");
    }

    /** {@link #shutdown} with the configured drain time-out. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet");
    }
}
