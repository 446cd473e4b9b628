package dev.teal.proxy.testing;

import dev.teal.config.Backend;
import dev.teal.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP backend on loopback that records every byte it receives, for whole-proxy tests. By default
 * it answers {@code 200 "<name> <METHOD> <uri>"}; a few paths do special things:
 *
 * <ul>
 *   <li>{@code /download/N} streams N bytes (chunked, with back-pressure)
 *   <li>{@code /upload} counts the body's bytes without keeping them: {@code received N}
 *   <li>{@code /slow/MS} answers after MS milliseconds
 *   <li>{@code /status/CODE} answers with that status
 *   <li>{@code /close} closes the connection without answering
 *   <li>{@code /reset-after-head} sends a head promising 1000 bytes, 10 of them, then closes
 *   <li>{@code /no-length} answers without length and closes to end the body
 *   <li>{@code /chunked} answers a chunked body in three chunks
 *   <li>{@code /ws} WebSocket echo (text frames, upper-cased)
 * </ul>
 */
public final class StubBackend implements AutoCloseable {
    private static final int RECORD_LIMIT = 1 << 20;
    private static final int CONNECTION_RECORD_LIMIT = 1 << 16;

    private final String name;
    private final EventLoopGroup group;
    private final Channel server;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<ByteArrayOutputStream> byConnection = new CopyOnWriteArrayList<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ChannelGroup open = new DefaultChannelGroup("stub-connections", GlobalEventExecutor.INSTANCE);
    private volatile Function<HttpRequest, FullHttpResponse> responder;

    /** A request as the backend saw it (headers and at most 1 MiB of body). */
    public record Recorded(String method, String uri, HttpHeaders headers, long bodyBytes) {}

    private StubBackend(String name, String host, int port) {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        open.add(ch);
                        ch.pipeline()
                                .addLast("record", new Recorder())
                                // Laxer limits than teal's: whatever teal forwards, the stub can read.
                                .addLast(
                                        "http",
                                        new HttpServerCodec(new HttpDecoderConfig()
                                                .setMaxInitialLineLength(65536)
                                                .setMaxHeaderSize(65536)))
                                .addLast("continue", new HttpServerExpectContinueHandler())
                                .addLast("chunked", new ChunkedWriteHandler())
                                .addLast("app", new App());
                    }
                });
        this.server = b.bind(host, port).syncUninterruptibly().channel();
    }

    public static StubBackend start(String name) {
        return new StubBackend(name, "127.0.0.1", 0);
    }

    /** On a given port, e.g. to bring a stopped backend back where it was. */
    public static StubBackend start(String name, int port) {
        return new StubBackend(name, "127.0.0.1", port);
    }

    /**
     * On another loopback address (127.0.0.2, 127.0.0.3, ...), e.g. instances that DNS lists at one port.
     */
    public static StubBackend start(String name, String host, int port) {
        return new StubBackend(name, host, port);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public Backend backend() {
        return new Backend(new HostPort("127.0.0.1", address().getPort()));
    }

    public String name() {
        return name;
    }

    /** Replaces the default answers (null restores them). */
    public void respondWith(Function<HttpRequest, FullHttpResponse> responder) {
        this.responder = responder;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public int connectionsAccepted() {
        return connections.get();
    }

    /** Connections open now (a closed one leaves the count once its close is processed). */
    public int openConnections() {
        return open.size();
    }

    /** Closes every open connection, as a backend whose keep-alive time-out ran out would. */
    public void closeConnections() {
        open.close().syncUninterruptibly();
    }

    /** The bytes each connection received (its first 64 KiB), in the order the connections were accepted. */
    public List<String> receivedByConnection() {
        synchronized (received) {
            return byConnection.stream()
                    .map(b -> b.toString(StandardCharsets.ISO_8859_1))
                    .toList();
        }
    }

    /** Every byte received so far (the first MiB), as ISO-8859-1 text. */
    public String receivedBytes() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        server.close().syncUninterruptibly();
        // Like a process that exits: its connections close too, rather than hang unanswered.
        open.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream mine = new ByteArrayOutputStream();

        Recorder() {
            byConnection.add(mine);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                synchronized (received) {
                    int n = Math.min(b.readableBytes(), RECORD_LIMIT - received.size());
                    if (n > 0) {
                        byte[] bytes = new byte[n];
                        b.getBytes(b.readerIndex(), bytes);
                        received.writeBytes(bytes);
                    }
                    int m = Math.min(b.readableBytes(), CONNECTION_RECORD_LIMIT - mine.size());
                    if (m > 0) {
                        byte[] bytes = new byte[m];
                        b.getBytes(b.readerIndex(), bytes);
                        mine.writeBytes(bytes);
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class App extends ChannelInboundHandlerAdapter {
        private HttpRequest request;
        private long bodyBytes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest r) {
                    request = r;
                    bodyBytes = 0;
                    if (r.uri().equals("/ws")) {
                        upgradeToWebSocket(ctx, r);
                        return;
                    }
                }
                if (msg instanceof HttpContent c) {
                    bodyBytes += c.content().readableBytes();
                    if (c instanceof LastHttpContent && request != null) {
                        HttpRequest r = request;
                        request = null;
                        requests.add(new Recorded(
                                r.method().name(), r.uri(), r.headers().copy(), bodyBytes));
                        answer(ctx, r, bodyBytes);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx, HttpRequest r, long bodyBytes) {
            Function<HttpRequest, FullHttpResponse> custom = responder;
            if (custom != null) {
                FullHttpResponse res = custom.apply(r);
                if (res == null) {
                    ctx.close();
                    return;
                }
                send(ctx, r, res);
                return;
            }
            String uri = r.uri();
            if (uri.startsWith("/download/")) {
                long n = Long.parseLong(uri.substring("/download/".length()));
                DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setTransferEncodingChunked(res, true);
                ctx.write(res);
                new Download(ctx, n).pump();
            } else if (uri.equals("/upload")) {
                send(ctx, r, text(HttpResponseStatus.OK, "received " + bodyBytes));
            } else if (uri.startsWith("/slow/")) {
                long ms = Long.parseLong(uri.substring("/slow/".length()));
                ctx.executor()
                        .schedule(
                                () -> send(ctx, r, text(HttpResponseStatus.OK, name + " slow")),
                                ms,
                                TimeUnit.MILLISECONDS);
            } else if (uri.startsWith("/status/")) {
                int code = Integer.parseInt(uri.substring("/status/".length()));
                send(ctx, r, text(HttpResponseStatus.valueOf(code), name + " " + code));
            } else if (uri.equals("/close")) {
                ctx.close();
            } else if (uri.equals("/reset-after-head")) {
                DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 1000);
                ctx.write(res);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]))
                        .addListener(f -> ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0))
                        .addListener(ChannelFutureListener.CLOSE);
            } else if (uri.equals("/no-length")) {
                ctx.pipeline().remove("http");
                ctx.writeAndFlush(Unpooled.copiedBuffer(
                                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + name + " until close",
                                StandardCharsets.ISO_8859_1))
                        .addListener(ChannelFutureListener.CLOSE);
            } else if (uri.equals("/chunked")) {
                DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setTransferEncodingChunked(res, true);
                ctx.write(res);
                for (String part : List.of("one,", "two,", "three")) {
                    ctx.write(new io.netty.handler.codec.http.DefaultHttpContent(
                            Unpooled.copiedBuffer(part, StandardCharsets.UTF_8)));
                }
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                FullHttpResponse res = text(HttpResponseStatus.OK, name + " " + r.method() + " " + uri);
                res.headers().set("X-Body-Bytes", bodyBytes);
                send(ctx, r, res);
            }
        }

        private void send(ChannelHandlerContext ctx, HttpRequest r, FullHttpResponse res) {
            res.headers().set("X-Backend", name);
            if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH) && !HttpUtil.isTransferEncodingChunked(res)) {
                HttpUtil.setContentLength(res, res.content().readableBytes());
            }
            boolean keepAlive = HttpUtil.isKeepAlive(r);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void upgradeToWebSocket(ChannelHandlerContext ctx, HttpRequest r) {
            DefaultFullHttpRequest full = new DefaultFullHttpRequest(r.protocolVersion(), r.method(), r.uri());
            full.headers().set(r.headers());
            requests.add(new Recorded(r.method().name(), r.uri(), r.headers().copy(), 0));
            WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
                            "ws://" + r.headers().get(HttpHeaderNames.HOST) + "/ws", null, false)
                    .newHandshaker(full);
            ctx.pipeline().remove("chunked");
            ctx.pipeline().remove("continue");
            ctx.pipeline().replace(this, "ws", new Echo());
            hs.handshake(ctx.channel(), full);
            full.release();
        }
    }

    private final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame t) {
                String text = t.text();
                t.release();
                ctx.writeAndFlush(new TextWebSocketFrame(name + ":" + text.toUpperCase()));
            } else if (msg instanceof WebSocketFrame f) {
                if (f instanceof io.netty.handler.codec.http.websocketx.CloseWebSocketFrame) {
                    ctx.writeAndFlush(f).addListener(ChannelFutureListener.CLOSE);
                } else {
                    f.release();
                }
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /**
     * Streams N bytes as 64 KiB chunks sliced from one shared direct buffer, only while the channel is
     * writable: cheap enough that the stub never limits what the proxy can be measured at.
     */
    private static final class Download {
        private static final ByteBuf BLOCK = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(65536).writeBytes(new byte[65536]).asReadOnly());
        private final ChannelHandlerContext ctx;
        private long left;

        Download(ChannelHandlerContext ctx, long n) {
            this.ctx = ctx;
            this.left = n;
        }

        void pump() {
            Channel ch = ctx.channel();
            while (left > 0 && ch.isActive()) {
                int n = (int) Math.min(left, BLOCK.capacity());
                left -= n;
                ctx.write(new io.netty.handler.codec.http.DefaultHttpContent(BLOCK.retainedSlice(0, n)));
                if (!ch.isWritable()) {
                    // Listen before flushing: the flush itself may make the channel writable again.
                    ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext c) {
                            if (c.channel().isWritable()) {
                                c.pipeline().remove(this);
                                pump();
                            }
                        }
                    });
                    ctx.flush();
                    return;
                }
            }
            if (left == 0) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                left = -1;
            }
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(res, res.content().readableBytes());
        return res;
    }
}
