package dev.teal.proxy.wire;

import dev.teal.proxy.metrics.ProxyMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open client connections: one over the limit is closed at once, before any byte is read, and the
 * connections already open are unaffected. Shared by every client channel: an atomic counter, no lock.
 */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);

    private final AtomicInteger open = new AtomicInteger();
    private final IntSupplier limit;
    private final ProxyMetrics metrics;

    public ConnectionLimit(IntSupplier limit, ProxyMetrics metrics) {
        this.limit = limit;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int now = open.incrementAndGet();
        metrics.clientConnected();
        ctx.channel().closeFuture().addListener(f -> {
            open.decrementAndGet();
            metrics.clientDisconnected();
        });
        if (now > limit.getAsInt()) {
            metrics.refused(ProxyMetrics.Refusal.TOO_MANY_CONNECTIONS);
            log.debug("{} closed: {} connections open (limit {})", ctx.channel(), now, limit.getAsInt());
            ctx.close();
            return;
        }
        // Nothing else to do for this connection (the close listener counts it out): leave the pipeline,
        // so no read passes through this handler.
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    int open() {
        return open.get();
    }
}
