package dev.teal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load runs against a real loopback server that hands out a numbered cookie to every request without one. */
class LoadRunTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final AtomicInteger cookieLess = new AtomicInteger();
    /** Requests received per cookie value sent back. */
    private final Map<String, AtomicInteger> returned = new ConcurrentHashMap<>();

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private InetSocketAddress address;

    @BeforeEach
    void startServer() throws InterruptedException {
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec(), new HttpObjectAggregator(1024), new CookieServer());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
        address = (InetSocketAddress) server.localAddress();
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void eachConnectionKeepsItsOwnCookie() throws Exception {
        LoadResult result = run(settings(LoadMode.RETURNING, 4, 0, 0, null));

        assertThat(cookieLess).as("one first visit per connection").hasValue(4);
        assertThat(returned).hasSize(4);
        assertThat(result.requests()).isPositive();
        assertThat(result.errors()).isZero();
        assertThat(result.unfinished()).isZero();
        assertThat(result.latencies().getTotalCount()).isEqualTo(result.requests());
        assertThat(printed.toString(StandardCharsets.US_ASCII)).startsWith("ready\n");
    }

    @Test
    void aPoolObtainsEachSessionOnceThenDrawsFromIt() throws Exception {
        LoadResult result = run(settings(LoadMode.POOL, 3, 0, 25, null));

        assertThat(cookieLess).as("one cookie-less request per pooled session").hasValue(25);
        assertThat(returned.keySet()).isSubsetOf(sids(1, 25));
        assertThat(returned).hasSizeGreaterThan(20);
        assertThat(result.errors()).isZero();
    }

    @Test
    void anOpenLoopSendsExactlyWhatWasDueInTheMeasurement() throws Exception {
        // 500 requests/s for 300 ms over 2 connections: 150 due, all answered quickly.
        LoadResult result = run(settings(LoadMode.OPEN, 2, 500, 0, null));

        assertThat(result.requests()).isEqualTo(150);
        assertThat(result.unfinished()).isZero();
        assertThat(result.seconds()).isBetween(0.29, 5.0);
        assertThat(cookieLess).hasValue(2);
    }

    @Test
    void theMeasurementWaitsForTheGoFile(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        PrintStream out = new PrintStream(printed, true, StandardCharsets.US_ASCII);
        LoadRun run = newRun(settings(LoadMode.RETURNING, 2, 0, 0, go), out);
        var promise = run.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!printed.toString(StandardCharsets.US_ASCII).contains("ready") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int beforeGo = totalRequests();
        assertThat(promise.isDone()).isFalse();
        // Nothing is sent while the run waits: the count stays put until the file appears.
        long settle = System.nanoTime() + 100 * MS;
        while (System.nanoTime() < settle) {
            Thread.onSpinWait();
        }
        assertThat(totalRequests()).isEqualTo(beforeGo);
        Files.createFile(go);
        LoadResult result = promise.get(10, TimeUnit.SECONDS);
        assertThat(result.requests()).isPositive();
        assertThat(totalRequests()).isGreaterThan(beforeGo);
    }

    private LoadResult run(LoadSettings settings) throws Exception {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.US_ASCII);
        return newRun(settings, out).start().get(20, TimeUnit.SECONDS);
    }

    private LoadRun newRun(LoadSettings settings, PrintStream out) {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class);
        return new LoadRun(settings, bootstrap, group.next(), out);
    }

    private LoadSettings settings(LoadMode mode, int connections, double rate, int sessions, Path goFile) {
        return new LoadSettings(
                mode, address, "/", connections, 200 * MS, 300 * MS, rate, sessions, goFile, 0, 10_000 * MS);
    }

    private int totalRequests() {
        return cookieLess.get()
                + returned.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static java.util.Set<String> sids(int from, int to) {
        java.util.Set<String> all = new java.util.HashSet<>();
        for (int i = from; i <= to; i++) {
            all.add("sid=" + i);
        }
        return all;
    }

    /** Answers 200; a request without a cookie gets {@code sid=N}, N counting from 1. */
    private final class CookieServer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
            String cookie = request.headers().get(HttpHeaderNames.COOKIE);
            if (cookie == null) {
                response.headers().add(HttpHeaderNames.SET_COOKIE, "sid=" + cookieLess.incrementAndGet() + "; Path=/");
            } else {
                returned.computeIfAbsent(cookie, c -> new AtomicInteger()).incrementAndGet();
            }
            ctx.writeAndFlush(response);
        }
    }
}
