package dev.teal.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a backend connection's pipeline ({@code HttpClientCodec → UpstreamConnection}):
 * hands what the backend sends to the exchange it serves, and closes the connection when the backend
 * speaks while nobody listens (a pooled connection must stay silent).
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    private final BackendState backend;
    private final ConnectionPool pool;
    private Channel channel;
    private UpstreamListener listener;
    private long idleSinceNanos;

    UpstreamConnection(BackendState backend, ConnectionPool pool) {
        this.backend = backend;
        this.pool = pool;
    }

    public BackendState backend() {
        return backend;
    }

    public Channel channel() {
        return channel;
    }

    /** Starts serving an exchange; the connection must be idle. */
    public void bind(UpstreamListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("upstream connection to " + backend + " is already bound");
        }
        this.listener = listener;
    }

    /** The exchange completed cleanly on both sides: keep the connection for the next one. */
    public void release() {
        listener = null;
        pool.release(this);
    }

    /** The exchange ended in a way that leaves the connection unusable (aborted, partial, framing unknown). */
    public void discard() {
        listener = null;
        channel.close();
    }

    /** The pool took the connection back: its idle time, for the pool's idle expiry, starts now. */
    void markIdle(long nowNanos) {
        idleSinceNanos = nowNanos;
    }

    boolean usable(long nowNanos, long idleTimeoutNanos) {
        return channel.isActive() && nowNanos - idleSinceNanos < idleTimeoutNanos;
    }

    boolean idleLongerThan(long nowNanos, long idleTimeoutNanos) {
        return nowNanos - idleSinceNanos >= idleTimeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = listener;
        if (l != null) {
            l.upstreamRead(msg);
        } else {
            // Bytes on an idle pooled connection: the backend is out of step with us; never reuse it.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.upstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.upstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.upstreamClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener l = listener;
        listener = null;
        ctx.close();
        if (l != null) {
            l.upstreamClosed(cause);
        }
    }
}
