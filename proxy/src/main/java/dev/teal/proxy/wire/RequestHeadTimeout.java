package dev.teal.proxy.wire;

import dev.teal.proxy.exchange.ClientConnection;
import dev.teal.proxy.metrics.ProxyMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/**
 * First in the client pipeline, before any decoding. Between requests it enforces the keep-alive idle
 * time (closing quietly: nothing was asked); once the first byte of a request arrives it enforces the
 * request-head time, answering 408 when a client sends its head too slowly (slowloris). {@link ClientConnection}
 * tells it when a head is complete and when the next one is awaited.
 */
public final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {
    private enum Phase {
        IDLE,
        HEAD,
        OFF
    }

    private final Supplier<dev.teal.config.TealSettings> settings;
    private final ProxyMetrics metrics;
    private ChannelHandlerContext ctx;
    private Deadline deadline;
    private Phase phase = Phase.IDLE;

    public RequestHeadTimeout(Supplier<dev.teal.config.TealSettings> settings, ProxyMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadline = new Deadline(ctx.channel().eventLoop(), this::expired);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitNext();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
            phase = Phase.HEAD;
            deadline.arm(settings.get().timeouts().requestHead().toNanos());
        }
        ctx.fireChannelRead(msg);
    }

    /** A request head was received whole: its body and response have time-outs of their own. */
    public void headReceived() {
        phase = Phase.OFF;
        deadline.disarm();
    }

    /** The previous exchange is over: the connection now waits for the next request. */
    public void awaitNext() {
        phase = Phase.IDLE;
        deadline.arm(settings.get().timeouts().keepAliveIdle().toNanos());
    }

    private void expired() {
        if (phase == Phase.HEAD) {
            metrics.refused(ProxyMetrics.Refusal.HEAD_TIMEOUT);
            ErrorResponses.sendAndClose(
                    ctx.channel(),
                    HttpResponseStatus.REQUEST_TIMEOUT,
                    "request head not received within "
                            + settings.get().timeouts().requestHead().toMillis() + " ms");
        } else if (phase == Phase.IDLE) {
            LingeringClose.close(ctx.channel());
        }
    }
}
