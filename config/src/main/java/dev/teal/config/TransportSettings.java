package dev.teal.config;

import static java.util.Objects.requireNonNull;

/**
 * The network transport ({@code teal.transport}).
 *
 * @param kind {@code auto} (epoll where available, else NIO), {@code epoll} or {@code nio}
 * @param eventLoopThreads threads serving connections; 0 means one per core (default 0)
 */
public record TransportSettings(Kind kind, int eventLoopThreads) {
    public enum Kind {
        AUTO,
        EPOLL,
        NIO
    }

    public TransportSettings {
        requireNonNull(kind, "kind");
        Checks.atLeast(eventLoopThreads, 0, "event-loop-threads");
    }
}
