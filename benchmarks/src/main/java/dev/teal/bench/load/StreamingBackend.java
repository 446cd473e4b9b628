package dev.teal.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The backend of {@code benchmarks/load/streaming.sh}: {@code GET /download/N} answers N bytes (with a
 * {@code Content-Length}), written from one shared buffer only while the connection is writable, so the
 * backend itself never buffers; any request with a body is drained and answered {@code 200} with the
 * number of bytes received once the body has ended. One event-loop thread.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.teal.bench.load.StreamingBackend 18083
 * }</pre>
 */
final class StreamingBackend {
    private static final String DOWNLOAD = "/download/";
    /** Sent again and again: the bytes of a download do not matter, only how many there are. */
    private static final ByteBuf CHUNK = Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024))
            .asReadOnly();

    private StreamingBackend() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            throw new IllegalArgumentException("arguments: " + String.join(" ", args) + " (expected: PORT)");
        }
        int port = Integer.parseInt(args[0]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpServerExpectContinueHandler())
                                    .addLast(new Exchange());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port))
                    .sync()
                    .channel();
            System.out.println("streaming backend on " + server.localAddress());
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** One connection's requests, one at a time. */
    private static final class Exchange extends ChannelInboundHandlerAdapter {
        private long received;
        private long toSend;
        private boolean keepAlive;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    received = 0;
                    keepAlive = HttpUtil.isKeepAlive(request);
                    if (request.method().equals(HttpMethod.GET) && request.uri().startsWith(DOWNLOAD)) {
                        toSend = Long.parseLong(request.uri().substring(DOWNLOAD.length()));
                    }
                }
                if (msg instanceof HttpContent content) {
                    received += content.content().readableBytes();
                }
                if (msg instanceof LastHttpContent) {
                    respond(ctx);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void respond(ChannelHandlerContext ctx) {
            if (toSend > 0) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, toSend);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
                ctx.write(head);
                sendWhileWritable(ctx);
                return;
            }
            byte[] body = ("received " + received + " bytes\n").getBytes(StandardCharsets.US_ASCII);
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            finish(ctx.writeAndFlush(response));
        }

        private void sendWhileWritable(ChannelHandlerContext ctx) {
            while (toSend > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(toSend, CHUNK.readableBytes());
                toSend -= n;
                ByteBuf slice = CHUNK.retainedSlice(CHUNK.readerIndex(), n);
                if (toSend == 0) {
                    finish(ctx.writeAndFlush(new DefaultLastHttpContent(slice)));
                } else {
                    ctx.writeAndFlush(new DefaultHttpContent(slice));
                }
            }
        }

        private void finish(ChannelFuture sent) {
            if (!keepAlive) {
                sent.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                sendWhileWritable(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
