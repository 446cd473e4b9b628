package dev.teal.proxy.exchange;

import dev.teal.proxy.tls.ClientTls;
import dev.teal.proxy.wire.ClientResponseEncoder;
import dev.teal.proxy.wire.Deadline;
import dev.teal.proxy.wire.LingeringClose;
import dev.teal.proxy.wire.RequestHeadTimeout;
import dev.teal.proxy.wire.RequestHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client connection: owns the connection (how many requests it served, whether it
 * may carry another, its polite close at shutdown) and hands each request to an {@link Exchange} of its
 * own, which relays it to a backend and the response back. One exchange at a time: pipelined requests
 * wait in the flow-control handler until the current exchange ends.
 *
 * <p>Pipeline: {@code limit → head-timeout → decoder/encoder → flow → guard → connection}. The backend
 * connection lives on the same event loop, so everything here runs on one thread and needs no
 * synchronisation. Reads are explicit (auto-read is off): the client is read while a head is awaited, and
 * during an exchange only when the exchange asks for it.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private enum State {
        AWAIT_HEAD,
        EXCHANGE,
        CLOSED
    }

    private final ProxyRuntime runtime;
    private final RequestHeadTimeout headTimeout;
    private final ClientResponseEncoder encoder;
    private ChannelHandlerContext ctx;
    private RequestHeaders requestHeaders;
    private Deadline deadline;
    private State state = State.AWAIT_HEAD;
    private Exchange exchange;
    private int served;
    private boolean shuttingDown;

    public ClientConnection(ProxyRuntime runtime, RequestHeadTimeout headTimeout, ClientResponseEncoder encoder) {
        this.runtime = runtime;
        this.headTimeout = headTimeout;
        this.encoder = encoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // One deadline per connection, re-armed by each exchange: cheaper than a scheduler task per request.
        this.deadline = new Deadline(ctx.channel().eventLoop(), this::expired);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        requestHeaders = new RequestHeaders(ctx.channel().remoteAddress(), ClientTls.isTls(ctx.channel()));
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case AWAIT_HEAD -> {
                if (msg instanceof HttpRequest r) {
                    begin(r);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case EXCHANGE -> exchange.clientRead(msg);
            case CLOSED -> ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        switch (state) {
            case AWAIT_HEAD -> ctx.read();
            case EXCHANGE -> exchange.clientReadComplete();
            case CLOSED -> {}
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (state == State.EXCHANGE) {
            exchange.clientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel();
        State was = state;
        state = State.CLOSED;
        if (was == State.EXCHANGE) {
            exchange.clientClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} client connection failed in state {}", ctx.channel(), state, cause);
        ctx.close();
    }

    /** Graceful shutdown: idle connections close now, busy ones after their current response. */
    public void shutdown() {
        shuttingDown = true;
        if (state == State.AWAIT_HEAD) {
            state = State.CLOSED;
            LingeringClose.close(ctx.channel());
        }
    }

    private void begin(HttpRequest request) {
        headTimeout.headReceived();
        served++;
        boolean mayKeepAlive =
                !shuttingDown && served < runtime.settings().limits().maxRequestsPerConnection();
        state = State.EXCHANGE;
        exchange = new Exchange(this, request, mayKeepAlive);
        exchange.start();
    }

    private void expired() {
        if (state == State.EXCHANGE) {
            exchange.expired();
        }
    }

    /**
     * The current exchange is over: the connection awaits the next request when both sides allow it, or
     * closes once what was written has been flushed.
     */
    void exchangeDone(boolean keepAlive) {
        exchange = null;
        if (state == State.CLOSED) {
            return;
        }
        if (keepAlive && !shuttingDown) {
            state = State.AWAIT_HEAD;
            headTimeout.awaitNext();
            ctx.read();
        } else {
            state = State.CLOSED;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The exchange answered with an error of teal's own and closes the connection itself. */
    void exchangeClosing() {
        exchange = null;
        state = State.CLOSED;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    ProxyRuntime runtime() {
        return runtime;
    }

    ClientResponseEncoder encoder() {
        return encoder;
    }

    Deadline deadline() {
        return deadline;
    }

    RequestHeaders requestHeaders() {
        return requestHeaders;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }
}
