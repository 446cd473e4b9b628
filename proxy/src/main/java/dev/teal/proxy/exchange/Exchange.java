package dev.teal.proxy.exchange;

import dev.teal.config.Color;
import dev.teal.config.ColorSettings;
import dev.teal.proxy.ClientChannelInitializer;
import dev.teal.proxy.metrics.ProxyMetrics.Refusal;
import dev.teal.proxy.metrics.ProxyMetrics.UpstreamError;
import dev.teal.proxy.routing.RequestRoute;
import dev.teal.proxy.upstream.AcquireCallback;
import dev.teal.proxy.upstream.BackendState;
import dev.teal.proxy.upstream.UpstreamConnection;
import dev.teal.proxy.upstream.UpstreamListener;
import dev.teal.proxy.wire.Deadline;
import dev.teal.proxy.wire.ErrorResponses;
import dev.teal.proxy.wire.HopByHop;
import dev.teal.proxy.wire.ResponseHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's journey: relays it to a backend of the routed color and the response back, streaming
 * both bodies with back-pressure (a side is read only while the other side can take more), then ends —
 * handing the connection back to its {@link ClientConnection} for the next request — or becomes a raw
 * tunnel after a {@code 101 Switching Protocols}. A new exchange per request, so nothing per-request is
 * reset by hand.
 *
 * <p>Runs on its client's event loop, as does its backend connection: no synchronisation. Callbacks from
 * the upstream pool for an exchange that has ended (a connect that completes late) are answered by
 * releasing what they bring.
 */
final class Exchange implements UpstreamListener, AcquireCallback {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    /** Reported for requests whose client went away before an answer (as NGINX does). */
    private static final int CLIENT_CLOSED = 499;

    private enum State {
        /** A request without body: its (empty) end is read before a backend is chosen. */
        READ_LAST,
        CONNECTING,
        REQUEST_BODY,
        AWAIT_RESPONSE,
        RESPONSE,
        TUNNEL,
        CLOSED
    }

    private enum Wait {
        BODY,
        RESPONSE,
        UPSTREAM_IDLE,
        SEND_STALL
    }

    private final ClientConnection connection;
    private final ChannelHandlerContext ctx;
    private final ProxyRuntime runtime;
    private final Deadline deadline;
    private final HttpRequest request;
    private final HttpVersion clientVersion;
    private final boolean answersHead;
    private final boolean hasBody;
    private final boolean upgrade;
    private final long startNanos;
    private final ResponseHead head = new ResponseHead();
    private State state;
    private Wait waiting;
    private boolean finished;
    private String method;
    private String path;
    private RequestRoute route;
    private Color color;
    private BackendState backend;
    private UpstreamConnection upstream;
    private List<BackendState> tried = List.of();
    private StringBuilder attempts;
    private boolean clientKeepAlive;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean interim;
    private boolean interimRelayed;
    private boolean switching;
    private boolean retried;
    private boolean reused;
    private long requestBytes;
    private long responseBytes;
    private int status;

    Exchange(ClientConnection connection, HttpRequest request, boolean mayKeepAlive) {
        this.connection = connection;
        this.ctx = connection.context();
        this.runtime = connection.runtime();
        this.deadline = connection.deadline();
        this.request = request;
        this.startNanos = System.nanoTime();
        this.clientVersion = request.protocolVersion();
        this.answersHead = request.method().equals(HttpMethod.HEAD);
        this.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        this.upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
        this.clientKeepAlive = mayKeepAlive && HttpUtil.isKeepAlive(request);
    }

    void start() {
        method = request.method().name();
        path = request.uri();
        connection.requestHeaders().rewrite(request, runtime.settings().forwarding());
        // Backends always get HTTP/1.1 with keep-alive; the client's version only shapes its answer.
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        route = runtime.routing().begin(request, ctx.channel());
        color = route.color();
        if (hasBody) {
            connect();
        } else {
            state = State.READ_LAST;
            ctx.read();
        }
    }

    // ---- client side -------------------------------------------------------------------------------

    void clientRead(Object msg) {
        switch (state) {
            case READ_LAST -> {
                boolean last = msg instanceof LastHttpContent;
                DecoderResult result = msg instanceof HttpContent c ? c.decoderResult() : DecoderResult.SUCCESS;
                ReferenceCountUtil.release(msg);
                if (result.isFailure()) {
                    fail(
                            HttpResponseStatus.BAD_REQUEST,
                            "malformed request: " + result.cause().getMessage());
                } else if (last) {
                    requestDone = true;
                    connect();
                }
            }
            case REQUEST_BODY -> body((HttpContent) msg);
            case TUNNEL -> upstream.channel().write(msg, upstream.channel().voidPromise());
            default -> ReferenceCountUtil.release(msg);
        }
    }

    void clientReadComplete() {
        switch (state) {
            case READ_LAST -> ctx.read();
            case REQUEST_BODY, TUNNEL -> {
                Channel up = upstream.channel();
                up.flush();
                if (up.isWritable()) {
                    ctx.read();
                }
            }
            default -> {}
        }
    }

    void clientWritabilityChanged(boolean writable) {
        if (upstream == null || state == State.CLOSED) {
            return;
        }
        if (writable) {
            upstream.channel().read();
            if (state == State.RESPONSE) {
                waitFor(Wait.UPSTREAM_IDLE);
            }
        } else if (state == State.RESPONSE) {
            waitFor(Wait.SEND_STALL);
        }
    }

    void clientClosed() {
        State was = state;
        state = State.CLOSED;
        if (was == State.TUNNEL) {
            upstream.channel().close();
            upstream = null;
            finish(status, false);
        } else {
            discardUpstream();
            finish(responseStarted ? status : CLIENT_CLOSED, false);
        }
    }

    private void body(HttpContent content) {
        DecoderResult result = content.decoderResult();
        if (result.isFailure()) {
            content.release();
            fail(
                    HttpResponseStatus.BAD_REQUEST,
                    "malformed request body: " + result.cause().getMessage());
            return;
        }
        requestBytes += content.content().readableBytes();
        long max = runtime.settings().limits().maxBodySize();
        if (max > 0 && requestBytes > max) {
            content.release();
            runtime.metrics().refused(Refusal.BODY_TOO_LARGE);
            fail(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body over " + max + " bytes (the limit teal.limits.max-body-size)");
            return;
        }
        boolean last = content instanceof LastHttpContent;
        Channel up = upstream.channel();
        up.writeAndFlush(content, up.voidPromise());
        if (last) {
            requestDone = true;
            if (!responseStarted) {
                state = State.AWAIT_RESPONSE;
                waitFor(Wait.RESPONSE);
            }
        } else {
            waitFor(Wait.BODY);
        }
    }

    // ---- choosing and connecting a backend ----------------------------------------------------------

    private void connect() {
        state = State.CONNECTING;
        BackendState b = runtime.upstreams().color(color).pick(System.nanoTime(), tried);
        if (b == null) {
            runtime.metrics().upstreamError(color, UpstreamError.NO_BACKEND);
            fail(
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    attempts == null ? noBackend() : "no " + color + " backend accepted the connection: " + attempts);
            return;
        }
        backend = b;
        b.requestStarted();
        if (!request.headers().contains(HttpHeaderNames.HOST)) {
            request.headers().set(HttpHeaderNames.HOST, b.backend().address().toString());
        }
        runtime.upstreams().acquire(ctx.channel().eventLoop(), b, retried, this);
    }

    /** Why no backend was picked; rare, so the text is built only then. */
    private String noBackend() {
        ColorSettings c = runtime.settings().color(color);
        if (c.backends().isEmpty() && !c.discovery().isEmpty()) {
            // Only DNS names, and they found nobody: say so, or the operator looks for a sick backend.
            return "no " + color + " backend: DNS discovery found none for " + c.discovery();
        }
        return "no healthy " + color + " backend";
    }

    @Override
    public void acquired(UpstreamConnection conn, boolean fromPool) {
        if (state != State.CONNECTING || conn.backend() != backend) {
            conn.release();
            return;
        }
        upstream = conn;
        reused = fromPool;
        conn.bind(this);
        Channel up = conn.channel();
        if (requestDone) {
            // A bodiless request goes out as one message, so the encoder writes head and end in one buffer.
            up.write(
                    new DefaultFullHttpRequest(
                            request.protocolVersion(),
                            request.method(),
                            request.uri(),
                            Unpooled.EMPTY_BUFFER,
                            request.headers(),
                            EmptyHttpHeaders.INSTANCE),
                    up.voidPromise());
            state = State.AWAIT_RESPONSE;
            waitFor(Wait.RESPONSE);
        } else {
            up.write(request, up.voidPromise());
            state = State.REQUEST_BODY;
            waitFor(Wait.BODY);
            ctx.read();
        }
        up.flush();
        up.read();
    }

    @Override
    public void failed(BackendState b, Throwable cause) {
        b.failed(System.nanoTime(), runtime.settings().upstream().passiveHealth());
        runtime.metrics().upstreamError(b.color(), UpstreamError.CONNECT_FAILED);
        if (state != State.CONNECTING || b != backend) {
            return;
        }
        b.requestFinished();
        backend = null;
        String why = cause instanceof ConnectException
                ? b.backend() + " refused the connection"
                : b.backend() + " failed to connect (" + cause.getMessage() + ")";
        log.debug("{} {}", ctx.channel(), why);
        attempts = attempts == null
                ? new StringBuilder(why)
                : attempts.append("; ").append(why);
        List<BackendState> next = new ArrayList<>(tried.size() + 1);
        next.addAll(tried);
        next.add(b);
        tried = next;
        connect();
    }

    // ---- backend side -------------------------------------------------------------------------------

    @Override
    public void upstreamRead(Object msg) {
        if (state == State.TUNNEL) {
            ctx.write(msg, ctx.voidPromise());
        } else if (msg instanceof HttpResponse r) {
            responseHead(r);
        } else if (msg instanceof HttpContent c) {
            responseContent(c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void responseHead(HttpResponse r) {
        if (r.decoderResult().isFailure()) {
            badResponse(
                    "sent a malformed response (" + r.decoderResult().cause().getMessage() + ")");
            return;
        }
        int code = r.status().code();
        if (code == 101) {
            if (!upgrade || !requestDone) {
                badResponse("switched protocols without being asked to");
                return;
            }
            switching = true;
            responseStarted = true;
            status = code;
            deadline.disarm();
            String protocol = r.headers().get(HttpHeaderNames.UPGRADE);
            HopByHop.strip(r.headers());
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            if (protocol != null) {
                r.headers().set(HttpHeaderNames.UPGRADE, protocol);
            }
            route.onResponseHead(r);
            ctx.write(r, ctx.voidPromise());
            return;
        }
        if (code < 200) {
            // Interim answers (100 Continue, 103 Early Hints) go to HTTP/1.1 clients only.
            interim = true;
            interimRelayed = clientVersion.minorVersion() >= 1;
            if (interimRelayed) {
                HopByHop.strip(r.headers());
                ctx.write(r, ctx.voidPromise());
            }
            return;
        }
        responseStarted = true;
        status = code;
        if (!requestDone) {
            // An early answer: the backend does not want the rest of the body, so the client
            // connection cannot be resynchronised and closes after this response.
            clientKeepAlive = false;
        }
        state = State.RESPONSE;
        waitFor(ctx.channel().isWritable() ? Wait.UPSTREAM_IDLE : Wait.SEND_STALL);
        route.onResponseHead(r);
        head.prepare(
                r,
                clientKeepAlive && !connection.shuttingDown(),
                clientVersion,
                answersHead,
                runtime.settings().forwarding());
        clientKeepAlive = head.clientKeepAlive;
        if (answersHead) {
            connection.encoder().nextAnswersHead();
        }
        ctx.write(r, ctx.voidPromise());
    }

    private void responseContent(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            // A truncated or malformed body: the client must see a broken response, never a complete one.
            c.release();
            runtime.metrics().upstreamError(color, UpstreamError.ABORTED_RESPONSE);
            backendFailed();
            abort();
            return;
        }
        if (interim) {
            if (interimRelayed) {
                ctx.write(c, ctx.voidPromise());
            } else {
                c.release();
            }
            if (c instanceof LastHttpContent) {
                interim = false;
            }
            return;
        }
        if (switching) {
            ctx.write(c, ctx.voidPromise());
            if (c instanceof LastHttpContent) {
                switchToTunnel();
            }
            return;
        }
        if (state != State.RESPONSE) {
            c.release();
            return;
        }
        responseBytes += c.content().readableBytes();
        if (waiting == Wait.UPSTREAM_IDLE) {
            waitFor(Wait.UPSTREAM_IDLE);
        }
        ctx.write(c, ctx.voidPromise());
        if (c instanceof LastHttpContent) {
            responseDone();
        }
    }

    @Override
    public void upstreamReadComplete() {
        ctx.flush();
        if (upstream != null && ctx.channel().isWritable()) {
            upstream.channel().read();
        }
    }

    @Override
    public void upstreamWritabilityChanged(boolean writable) {
        if (writable && (state == State.REQUEST_BODY || state == State.TUNNEL)) {
            ctx.read();
        }
    }

    @Override
    public void upstreamClosed(Throwable cause) {
        UpstreamConnection up = upstream;
        upstream = null;
        if (up != null) {
            up.discard();
        }
        switch (state) {
            case TUNNEL -> {
                state = State.CLOSED;
                finish(status, false);
                connection.exchangeDone(false);
            }
            case REQUEST_BODY, AWAIT_RESPONSE, RESPONSE -> brokenBeforeEnd(cause);
            default -> {}
        }
    }

    private void brokenBeforeEnd(Throwable cause) {
        if (responseStarted || switching) {
            runtime.metrics().upstreamError(color, UpstreamError.ABORTED_RESPONSE);
            backendFailed();
            abort();
            return;
        }
        BackendState b = backend;
        boolean idempotent =
                !request.method().equals(HttpMethod.POST) && !request.method().equals(HttpMethod.PATCH);
        if (!retried && requestDone && !hasBody && idempotent) {
            // A pooled connection the backend closed while idle, or one that broke before any answer:
            // nothing was processed that a repeat could duplicate, so try once more on a fresh connection.
            runtime.metrics().upstreamError(color, UpstreamError.RETRIED);
            retried = true;
            if (!reused) {
                b.failed(System.nanoTime(), runtime.settings().upstream().passiveHealth());
            }
            b.requestFinished();
            backend = null;
            connect();
            return;
        }
        runtime.metrics().upstreamError(color, UpstreamError.CLOSED_BEFORE_RESPONSE);
        backendFailed();
        fail(
                HttpResponseStatus.BAD_GATEWAY,
                color + " backend " + b.backend()
                        + (cause == null
                                ? " closed the connection before answering"
                                : " failed before answering (" + cause.getMessage() + ")"));
    }

    private void badResponse(String what) {
        runtime.metrics().upstreamError(color, UpstreamError.BAD_RESPONSE);
        backendFailed();
        fail(HttpResponseStatus.BAD_GATEWAY, color + " backend " + backend.backend() + " " + what);
    }

    private void switchToTunnel() {
        switching = false;
        state = State.TUNNEL;
        deadline.disarm();
        route.onUpgrade();
        ChannelPipeline p = ctx.pipeline();
        for (String name : ClientChannelInitializer.HTTP_ONLY) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        // Removing the codecs hands any bytes they hold to the next handler as raw buffers.
        p.remove(ClientChannelInitializer.ENCODER);
        p.remove(ClientChannelInitializer.DECODER);
        upstream.channel().pipeline().remove("http");
        ctx.flush();
        ctx.read();
        upstream.channel().read();
    }

    // ---- endings ------------------------------------------------------------------------------------

    private void responseDone() {
        ctx.flush();
        UpstreamConnection up = upstream;
        upstream = null;
        boolean reusable = head.upstreamReusable && requestDone;
        finish(status, true);
        if (reusable) {
            up.release();
        } else {
            up.discard();
        }
        state = State.CLOSED;
        connection.exchangeDone(clientKeepAlive);
    }

    /** Answers with an error of teal's own, or breaks the connection if a response has begun. */
    private void fail(HttpResponseStatus errorStatus, String message) {
        if (responseStarted) {
            abort();
            return;
        }
        discardUpstream();
        finish(errorStatus.code(), false);
        state = State.CLOSED;
        connection.exchangeClosing();
        log.debug("{} {} {}", ctx.channel(), errorStatus.code(), message);
        if (answersHead) {
            connection.encoder().nextAnswersHead();
        }
        ErrorResponses.sendAndClose(ctx.channel(), errorStatus, message);
    }

    /** Closes the client connection mid-response: it must see a broken response, never a fake whole one. */
    private void abort() {
        discardUpstream();
        finish(status, false);
        state = State.CLOSED;
        connection.exchangeClosing();
        ctx.close();
    }

    private void discardUpstream() {
        UpstreamConnection up = upstream;
        upstream = null;
        if (up != null) {
            up.discard();
        }
    }

    /** Accounts for the exchange once: metrics, access log, session hook, backend load and health. */
    private void finish(int finalStatus, boolean backendAnswered) {
        if (finished) {
            return;
        }
        finished = true;
        deadline.disarm();
        long duration = System.nanoTime() - startNanos;
        if (color != null && finalStatus > 0) {
            runtime.metrics().requestCompleted(color, finalStatus, duration);
        }
        if (runtime.settings().accessLog()) {
            AccessLog.write(
                    connection.requestHeaders().peer(),
                    method,
                    path,
                    finalStatus,
                    color == null ? "-" : color.id(),
                    backend == null ? "-" : backend.backend().toString(),
                    requestBytes,
                    responseBytes,
                    duration);
        }
        if (route != null) {
            RequestRoute r = route;
            route = null;
            r.end();
        }
        if (backend != null) {
            BackendState b = backend;
            backend = null;
            b.requestFinished();
            if (backendAnswered) {
                if (finalStatus >= 500) {
                    b.failed(System.nanoTime(), runtime.settings().upstream().passiveHealth());
                } else {
                    b.succeeded();
                }
            }
        }
    }

    private void backendFailed() {
        if (backend != null) {
            backend.failed(System.nanoTime(), runtime.settings().upstream().passiveHealth());
        }
    }

    // ---- time-outs ----------------------------------------------------------------------------------

    private void waitFor(Wait w) {
        waiting = w;
        var t = runtime.settings().timeouts();
        long nanos =
                switch (w) {
                    case BODY -> t.clientBodyIdle().toNanos();
                    case RESPONSE -> t.upstreamResponse().toNanos();
                    case UPSTREAM_IDLE -> t.upstreamIdle().toNanos();
                    case SEND_STALL -> t.clientSendIdle().toNanos();
                };
        deadline.arm(nanos);
    }

    void expired() {
        if (state == State.CLOSED || waiting == null) {
            return;
        }
        var t = runtime.settings().timeouts();
        switch (waiting) {
            case BODY -> {
                runtime.metrics().refused(Refusal.BODY_TIMEOUT);
                fail(
                        HttpResponseStatus.REQUEST_TIMEOUT,
                        "request body stalled: nothing received for "
                                + t.clientBodyIdle().toMillis() + " ms");
            }
            case RESPONSE -> {
                runtime.metrics().upstreamError(color, UpstreamError.RESPONSE_TIMEOUT);
                BackendState b = backend;
                backendFailed();
                fail(
                        HttpResponseStatus.GATEWAY_TIMEOUT,
                        color + " backend " + b.backend() + " did not answer within "
                                + t.upstreamResponse().toMillis() + " ms");
            }
            case UPSTREAM_IDLE -> {
                runtime.metrics().upstreamError(color, UpstreamError.ABORTED_RESPONSE);
                backendFailed();
                abort();
            }
            case SEND_STALL -> abort();
        }
    }
}
