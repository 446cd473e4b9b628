package dev.teal.proxy.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes an idle keep-alive connection politely (RFC 9112 §9.6): teal stops sending first and reads, and
 * drops, whatever the client still sends until the client closes too or a short while passes. Closing at
 * once would make the kernel answer a request already on its way with a reset, which the client sees as a
 * broken exchange instead of a connection closed before its request: only the latter is safe to retry.
 * Nothing read in the meantime is served.
 */
public final class LingeringClose {
    /** How long a client has to see the close and close its side (NGINX waits 5 s at most for a read). */
    private static final long LINGER_MILLIS = 2000;

    private LingeringClose() {}

    /** Starts closing {@code ch}; must run on its event loop. */
    public static void close(Channel ch) {
        if (!(ch instanceof SocketChannel socket) || !socket.isActive() || socket.isOutputShutdown()) {
            ch.close();
            return;
        }
        ch.pipeline().addFirst(new Discard());
        socket.shutdownOutput().addListener(done -> {
            if (!done.isSuccess()) {
                ch.close();
                return;
            }
            // The client's close ends the read side, which closes the channel (no half-closure).
            ch.config().setAutoRead(true);
            ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    /** First in the pipeline once the close began: whatever arrives goes nowhere. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {}

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
