package dev.teal.proxy.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds a TLS handshake in time from the moment the connection is accepted (a client that sends nothing,
 * or half a ClientHello, is closed at {@code teal.tls.handshake-timeout}) and counts the handshakes that
 * fail, by reason. Leaves the pipeline once the handshake succeeds.
 */
public final class TlsHandshakes extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakes.class);
    /** Set when teal already answered the connection itself (plain HTTP): its close is not a failure. */
    static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf("teal.tls.answered");

    private final long timeoutMillis;
    private final TlsMeters meters;
    private ScheduledFuture<?> deadline;
    private boolean done;

    public TlsHandshakes(long timeoutMillis, TlsMeters meters) {
        this.timeoutMillis = timeoutMillis;
        this.meters = meters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> expired(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    private void expired(ChannelHandlerContext ctx) {
        if (done) {
            return;
        }
        done = true;
        meters.handshakeFailed(TlsMeters.HandshakeError.TIMEOUT);
        log.debug("{} TLS handshake not finished within {} ms: closed", ctx.channel(), timeoutMillis);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent completion && !done) {
            done = true;
            cancel();
            if (completion.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                TlsMeters.HandshakeError reason = reason(completion.cause());
                meters.handshakeFailed(reason);
                log.debug(
                        "{} TLS handshake failed ({}): {}",
                        ctx.channel(),
                        reason,
                        completion.cause().toString());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done && !ctx.channel().hasAttr(ANSWERED)) {
            // Closed before the handshake started (the client sent nothing) or during it without an event.
            done = true;
            meters.handshakeFailed(TlsMeters.HandshakeError.CLOSED);
        }
        done = true;
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A handshake failure arrives as an event too (counted there); here it is only not logged twice.
        if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    static TlsMeters.HandshakeError reason(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            return TlsMeters.HandshakeError.NOT_TLS;
        }
        if (cause instanceof ClosedChannelException) {
            return TlsMeters.HandshakeError.CLOSED;
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("certificate") || message.contains("unknown_ca") || message.contains("unknown ca")) {
            return TlsMeters.HandshakeError.CERTIFICATE_REJECTED;
        }
        if (message.contains("protocol") || message.contains("version") || message.contains("cipher")) {
            return TlsMeters.HandshakeError.PROTOCOL;
        }
        if (message.contains("closed")) {
            return TlsMeters.HandshakeError.CLOSED;
        }
        return TlsMeters.HandshakeError.OTHER;
    }
}
