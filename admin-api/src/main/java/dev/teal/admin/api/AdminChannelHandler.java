package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an admin connection: hands each request to the worker threads and writes the
 * answers back in request order (pipelined requests wait in a queue, and reading pauses while one is
 * being answered).
 *
 * <pre>
 * IdleStateHandler → HttpServerCodec → HttpServerKeepAliveHandler → HttpObjectAggregator → this
 * </pre>
 *
 * <p>Threading: every field is touched on the channel's event loop only; the workers' results hop back to
 * it. The aggregated request is released by {@link SimpleChannelInboundHandler} once copied.
 */
final class AdminChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminChannelHandler.class);

    /** A request waiting its turn, or an answer already known (a request that failed to decode). */
    private record Pending(ApiRequest request, ApiResponse ready, boolean keepAlive) {}

    private final ApiDispatcher dispatcher;
    private final Executor workers;
    private final StatusEvents events;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean busy;
    /** The connection carries a {@code GET /events} stream: it reads nothing more and never idles out. */
    private boolean streaming;

    AdminChannelHandler(ApiDispatcher dispatcher, Executor workers, StatusEvents events) {
        this.dispatcher = requireNonNull(dispatcher, "dispatcher");
        this.workers = requireNonNull(workers, "workers");
        this.events = requireNonNull(events, "events");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (msg.decoderResult().isFailure()) {
            pending.add(new Pending(null, decodeError(msg.decoderResult().cause()), false));
        } else {
            ApiRequest request = new ApiRequest(
                    msg.method(),
                    msg.uri(),
                    msg.headers().copy(),
                    (InetSocketAddress) ctx.channel().remoteAddress(),
                    (InetSocketAddress) ctx.channel().localAddress());
            pending.add(new Pending(request, null, HttpUtil.isKeepAlive(msg)));
        }
        next(ctx);
    }

    private void next(ChannelHandlerContext ctx) {
        if (busy) {
            return;
        }
        Pending p = pending.poll();
        if (p == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        if (p.ready() != null) {
            write(ctx, p.ready(), p.keepAlive());
            return;
        }
        try {
            CompletableFuture.supplyAsync(() -> dispatcher.dispatch(p.request()), workers)
                    .whenComplete((response, error) -> {
                        ApiResponse answer = response != null
                                ? response
                                : ApiError.internal(String.valueOf(error)).toResponse();
                        try {
                            ctx.executor().execute(() -> write(ctx, answer, p.keepAlive()));
                        } catch (RejectedExecutionException e) {
                            log.debug("{} closed before its answer was written", ctx.channel());
                        }
                    });
        } catch (RejectedExecutionException e) {
            write(
                    ctx,
                    ApiError.unavailable("busy", "the admin API is handling too many requests; retry")
                            .toResponse(),
                    p.keepAlive());
        }
    }

    private void write(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
        busy = false;
        if (!ctx.channel().isActive()) {
            pending.clear();
            return;
        }
        if (answer.status().equals(HttpResponseStatus.OK)
                && answer.contentType().equals(StatusEvents.CONTENT_TYPE)) {
            // The stream takes the connection over: requests pipelined behind it are never answered.
            busy = true;
            streaming = true;
            pending.clear();
            events.subscribe(ctx.channel());
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, answer.status(), Unpooled.wrappedBuffer(answer.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        if (!keepAlive) {
            // HttpServerKeepAliveHandler closes the connection once this response is written.
            HttpUtil.setKeepAlive(response, false);
            pending.clear();
        }
        ctx.writeAndFlush(response);
        if (keepAlive) {
            next(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!streaming && !busy && pending.isEmpty()) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} closed on error", ctx.channel(), cause);
        ctx.close();
    }

    private static ApiResponse decodeError(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ApiError.of(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long", cause.getMessage())
                    .toResponse();
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return ApiError.of(
                            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers too large", cause.getMessage())
                    .toResponse();
        }
        if (cause instanceof TooLongFrameException) {
            return ApiError.of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too large", cause.getMessage())
                    .toResponse();
        }
        return ApiError.badRequest("malformed request (" + cause.getMessage() + ")")
                .toResponse();
    }
}
