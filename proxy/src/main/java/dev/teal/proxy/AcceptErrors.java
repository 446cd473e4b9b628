package dev.teal.proxy;

import dev.teal.proxy.metrics.ProxyMetrics;
import dev.teal.proxy.metrics.ProxyMetrics.AcceptError;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the listener: a failed {@code accept} (EMFILE when the process is out of descriptors) pauses
 * accepting for {@link #PAUSE_MILLIS}, so the accept loop does not spin on a listener that stays readable,
 * counts it ({@code teal_accept_errors_total{reason}}), and warns at most once per {@link #WARN_EVERY_NANOS}.
 * Netty's own reaction (a one-second pause and a warning per failure) is replaced: a second of refusals is
 * too long for the requests that would fit again as soon as a few connections close (catalogue row L10).
 */
final class AcceptErrors extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptErrors.class);
    static final long PAUSE_MILLIS = 50;
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ProxyMetrics metrics;
    // Only the listener's event loop touches these.
    private long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;
    private long sinceWarning;

    AcceptErrors(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        AcceptError reason = reason(cause);
        metrics.acceptFailed(reason);
        sinceWarning++;
        long now = System.nanoTime();
        if (now - lastWarning >= WARN_EVERY_NANOS) {
            log.warn(
                    "{} accept failed {} time(s) in the last {} s ({}): pausing accepts for {} ms each time;"
                            + " see teal.limits.max-connections and the process's descriptor limit",
                    ctx.channel(),
                    sinceWarning,
                    TimeUnit.NANOSECONDS.toSeconds(now - lastWarning),
                    cause.getMessage(),
                    PAUSE_MILLIS);
            lastWarning = now;
            sinceWarning = 0;
        }
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.channel()
                    .eventLoop()
                    .schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    static AcceptError reason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        if (message.contains("Too many open files in system")) {
            return AcceptError.SYSTEM_DESCRIPTORS;
        }
        if (message.contains("Too many open files")) {
            return AcceptError.PROCESS_DESCRIPTORS;
        }
        return AcceptError.OTHER;
    }
}
