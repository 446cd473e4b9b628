package dev.teal.proxy.upstream;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.config.TealSettings;
import dev.teal.config.UpstreamSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Both colors' backends and the connection pools to them. Pools are per event loop and per backend, so a
 * client connection and its upstream connection share a thread and no pool is ever shared between threads.
 */
public final class Upstreams {
    private final Map<Color, ColorBackends> colors = new EnumMap<>(Color.class);
    private final Map<EventLoop, LoopPools> loops = new ConcurrentHashMap<>();
    private final Bootstrap template;
    private final UpstreamEvents metrics;
    private volatile UpstreamSettings settings;
    private volatile boolean closed;

    public Upstreams(TealSettings settings, Class<? extends SocketChannel> channelType, UpstreamEvents metrics) {
        requireNonNull(settings, "settings");
        this.metrics = requireNonNull(metrics, "metrics");
        this.settings = settings.upstream();
        for (Color c : Color.values()) {
            colors.put(c, new ColorBackends(c, settings.color(c).backends()));
        }
        this.template = new Bootstrap()
                .channel(channelType)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 256 * 1024))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis(settings));
    }

    private static int connectMillis(TealSettings settings) {
        return (int) Math.min(
                Integer.MAX_VALUE, settings.timeouts().upstreamConnect().toMillis());
    }

    public ColorBackends color(Color color) {
        return colors.get(color);
    }

    UpstreamSettings settings() {
        return settings;
    }

    UpstreamEvents metrics() {
        return metrics;
    }

    boolean closed() {
        return closed;
    }

    /**
     * A connection to {@code backend} for a client served on {@code loop}: an idle pooled one, or a new
     * one. Must be called on {@code loop}; the callback runs there too.
     *
     * @param fresh skip the pool (a retry after a pooled connection broke)
     */
    public void acquire(EventLoop loop, BackendState backend, boolean fresh, AcquireCallback callback) {
        loops.computeIfAbsent(loop, this::newLoopPools).pool(backend).acquire(fresh, callback);
    }

    /** Applies new backend lists and pool settings; existing connections are kept. */
    public void reload(TealSettings next) {
        this.settings = next.upstream();
        template.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis(next));
        for (Color c : Color.values()) {
            colors.get(c).update(next.color(c).backends());
        }
    }

    /** Idle connections per backend across all loops; read by metrics and status, not per request. */
    public int idleConnections() {
        int n = 0;
        for (LoopPools p : loops.values()) {
            n += p.idleCount;
        }
        return n;
    }

    /** Closes every idle connection; connections in use close when their exchange ends. */
    public void close() {
        closed = true;
        for (Map.Entry<EventLoop, LoopPools> e : loops.entrySet()) {
            e.getKey().execute(e.getValue()::closeAll);
        }
    }

    private LoopPools newLoopPools(EventLoop loop) {
        LoopPools pools = new LoopPools(loop);
        long period = Math.max(1000, settings.idleTimeout().toMillis() / 2);
        loop.scheduleAtFixedRate(pools::sweep, period, period, TimeUnit.MILLISECONDS);
        return pools;
    }

    /** The pools of one event loop: confined to it. */
    private final class LoopPools {
        private final EventLoop loop;
        private final Map<BackendState, ConnectionPool> pools = new IdentityHashMap<>();
        /** Written on the loop, read by metrics from elsewhere. */
        private volatile int idleCount;

        LoopPools(EventLoop loop) {
            this.loop = loop;
        }

        ConnectionPool pool(BackendState backend) {
            ConnectionPool p = pools.get(backend);
            if (p == null) {
                p = new ConnectionPool(loop, backend, Upstreams.this, template);
                pools.put(backend, p);
            }
            return p;
        }

        void sweep() {
            long now = System.nanoTime();
            long timeout = settings.idleTimeout().toNanos();
            int n = 0;
            // Backends removed by a reload leave their pools behind: drop them once empty.
            pools.entrySet().removeIf(e -> {
                e.getValue().sweep(now, timeout);
                return e.getValue().idleCount() == 0
                        && !colors.get(e.getKey().color()).all().contains(e.getKey());
            });
            for (ConnectionPool p : pools.values()) {
                n += p.idleCount();
            }
            idleCount = n;
        }

        void closeAll() {
            pools.values().forEach(ConnectionPool::closeAll);
            idleCount = 0;
        }
    }
}
