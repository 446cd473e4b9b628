package dev.teal.admin.demo;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.teal.config.Color;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small web application that answers as one color and keeps server-side sessions with a visit
 * counter (its own {@code JSESSIONID}), so a person can see which color their session is pinned to. With
 * a database it also lists the customers, as its version of the schema has them (blue the old, green
 * the new). It has one event-loop thread of its own.
 */
final class DemoApp implements AutoCloseable {
    /** The application only takes small GET requests. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final String instance;
    private final EventLoopGroup group;
    private final Channel server;

    private DemoApp(String instance, EventLoopGroup group, Channel server) {
        this.instance = instance;
        this.group = group;
        this.server = server;
    }

    /**
     * Starts the application and binds it.
     *
     * @param instance the instance name shown to users, e.g. {@code blue-1}
     * @param address where to listen; port 0 picks a free one
     * @param idleTimeout how long a session lives without a visit
     * @throws UncheckedIOException when the address cannot be bound
     */
    static DemoApp start(Color color, String instance, InetSocketAddress address, Duration idleTimeout) {
        return start(color, instance, address, new DemoSessions(idleTimeout, Ticker.systemTicker()), Optional.empty());
    }

    /** As above, reading and writing the customers of {@code database} as {@code color}'s version does. */
    static DemoApp start(
            Color color, String instance, InetSocketAddress address, Duration idleTimeout, DemoDatabase database) {
        return start(
                color,
                instance,
                address,
                new DemoSessions(idleTimeout, Ticker.systemTicker()),
                Optional.of(new Customers(database, Customers.Version.of(color))));
    }

    static DemoApp start(Color color, String instance, InetSocketAddress address, DemoSessions sessions) {
        return start(color, instance, address, sessions, Optional.empty());
    }

    private static DemoApp start(
            Color color,
            String instance,
            InetSocketAddress address,
            DemoSessions sessions,
            Optional<Customers> customers) {
        requireNonNull(address, "address");
        DemoHandler handler = new DemoHandler(color, instance, sessions, customers);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("demo-" + instance), NioIoHandler.newFactory());
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(handler);
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            Throwable cause = bound.cause();
            throw new UncheckedIOException(
                    "demo application " + instance + " cannot listen on " + address.getHostString() + ":"
                            + address.getPort() + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        return new DemoApp(instance, group, bound.channel());
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    String instance() {
        return instance;
    }

    /** Closes the listener and every connection, without a quiet period: nothing is expected to linger. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
