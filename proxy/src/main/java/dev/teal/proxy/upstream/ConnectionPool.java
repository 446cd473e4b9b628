package dev.teal.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.ArrayDeque;

/**
 * Idle keep-alive connections to one backend, owned by one event loop: touched only from that loop, so it
 * needs no lock. Most recently used first (warm connections, and the cold ones age out).
 */
final class ConnectionPool {
    /** Response heads from our own backends may be larger than what we accept from clients. */
    private static final HttpDecoderConfig RESPONSE_DECODING = new HttpDecoderConfig()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(65536)
            .setMaxChunkSize(65536);

    private final EventLoop loop;
    private final BackendState backend;
    private final Upstreams upstreams;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final Bootstrap bootstrap;

    ConnectionPool(EventLoop loop, BackendState backend, Upstreams upstreams, Bootstrap template) {
        this.loop = loop;
        this.backend = backend;
        this.upstreams = upstreams;
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline()
                        .addLast("http", new HttpClientCodec(RESPONSE_DECODING, false, false))
                        .addLast("upstream", new UpstreamConnection(backend, ConnectionPool.this));
            }
        });
    }

    void acquire(boolean fresh, AcquireCallback callback) {
        long now = System.nanoTime();
        long idleTimeout = upstreams.settings().idleTimeout().toNanos();
        UpstreamConnection c;
        while (!fresh && (c = idle.pollFirst()) != null) {
            if (c.usable(now, idleTimeout)) {
                callback.acquired(c, true);
                return;
            }
            c.channel().close();
        }
        upstreams.metrics().connectionOpened(backend);
        ChannelFuture f = bootstrap.connect(backend.resolvedAddress());
        f.addListener(done -> {
            if (done.isSuccess()) {
                Channel ch = f.channel();
                ch.closeFuture().addListener(x -> upstreams.metrics().connectionClosed(backend));
                callback.acquired(ch.pipeline().get(UpstreamConnection.class), false);
            } else {
                upstreams.metrics().connectionClosed(backend);
                callback.failed(backend, done.cause());
            }
        });
    }

    void release(UpstreamConnection c) {
        assert loop.inEventLoop();
        Channel ch = c.channel();
        if (!ch.isActive() || idle.size() >= upstreams.settings().maxIdlePerBackend() || upstreams.closed()) {
            ch.close();
            return;
        }
        c.markIdle(System.nanoTime());
        idle.addFirst(c);
        // Keep one read pending, so a close (or stray bytes) from the backend is seen while idle.
        ch.read();
    }

    int idleCount() {
        return idle.size();
    }

    /** Closes connections idle past the time-out, oldest first. */
    void sweep(long nowNanos, long idleTimeoutNanos) {
        UpstreamConnection c;
        while ((c = idle.peekLast()) != null
                && (c.idleLongerThan(nowNanos, idleTimeoutNanos) || !c.channel().isActive())) {
            idle.pollLast();
            c.channel().close();
        }
    }

    void closeAll() {
        UpstreamConnection c;
        while ((c = idle.pollFirst()) != null) {
            c.channel().close();
        }
    }
}
