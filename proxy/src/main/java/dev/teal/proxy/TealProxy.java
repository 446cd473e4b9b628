package dev.teal.proxy;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.config.TealSettings;
import dev.teal.proxy.exchange.ClientConnection;
import dev.teal.proxy.exchange.ProxyRuntime;
import dev.teal.proxy.metrics.ProxyMetrics;
import dev.teal.proxy.routing.PinnedRouting;
import dev.teal.proxy.routing.SessionRouting;
import dev.teal.proxy.routing.Sessions;
import dev.teal.proxy.tls.ClientTls;
import dev.teal.proxy.tls.InvalidCertificateException;
import dev.teal.proxy.tls.TlsTermination;
import dev.teal.proxy.traffic.TrafficWindows;
import dev.teal.proxy.upstream.HealthChecks;
import dev.teal.proxy.upstream.Upstreams;
import dev.teal.proxy.wire.ConnectionLimit;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: binds the client listener, owns the event loops and every connection.
 *
 * <pre>{@code
 * try (TealProxy proxy = TealProxy.start(settings, registry)) {
 *     proxy.traffic().setSplit(new Split(25));
 * }
 * }</pre>
 */
public final class TealProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TealProxy.class);
    /**
     * Per-connection bytes queued before a side stops reading the other: above one 64 KiB read, so a
     * stream does not flap writability on every chunk, and small enough that 10,000 slow clients stay cheap.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 256 * 1024);

    private final TealSettings settings;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final Channel tlsListener; // null without teal.tls
    private final TlsTermination tls; // null without teal.tls
    private final ChannelGroup clients;
    private final Upstreams upstreams;
    private final HealthChecks healthChecks;
    private final TrafficController control;
    private final Sessions sessions;
    private final String transportDescription;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private TealProxy(
            TealSettings settings,
            EventLoopGroup acceptors,
            EventLoopGroup workers,
            Channel listener,
            Channel tlsListener,
            TlsTermination tls,
            ChannelGroup clients,
            Upstreams upstreams,
            HealthChecks healthChecks,
            TrafficController control,
            Sessions sessions,
            String transportDescription) {
        this.settings = settings;
        this.acceptors = acceptors;
        this.workers = workers;
        this.listener = listener;
        this.tlsListener = tlsListener;
        this.tls = tls;
        this.clients = clients;
        this.upstreams = upstreams;
        this.healthChecks = healthChecks;
        this.control = control;
        this.sessions = sessions;
        this.transportDescription = transportDescription;
    }

    /**
     * Starts the proxy and binds its listener.
     *
     * @throws UncheckedIOException when the listener cannot be bound
     */
    public static TealProxy start(TealSettings settings, MeterRegistry meters) {
        return start(settings, meters, new Split(settings.initialGreenPercent()));
    }

    /**
     * Starts the proxy on a split other than the configured initial one: the split a state directory
     * kept across a restart, so no request is routed by a stale split in between.
     *
     * @throws UncheckedIOException when the listener cannot be bound
     * @throws DescriptorBudget.TooFewDescriptorsException when the configured connections cannot fit the
     *     process's descriptor limit
     */
    public static TealProxy start(TealSettings settings, MeterRegistry meters, Split split) {
        return bind(settings, meters, split, true).serve();
    }

    /**
     * Binds the listener without accepting yet (connections wait in the backlog), so a process that binds
     * more listeners binds them all before any serves; {@link #serve} starts accepting.
     *
     * @param unseenSessionsPossible whether sessions this instance never saw may come back with their
     *     cookies (false for a state that never had a rollout: no session ever went to the color at 0 %, so
     *     it is drained at once instead of after {@code idle-timeout})
     * @throws UncheckedIOException when the listener cannot be bound
     * @throws InvalidCertificateException when a TLS certificate or key cannot serve
     */
    public static TealProxy bind(
            TealSettings settings, MeterRegistry meters, Split split, boolean unseenSessionsPossible) {
        requireNonNull(settings, "settings");
        requireNonNull(meters, "meters");
        requireNonNull(split, "split");
        Transport transport = Transport.choose(settings.transport());
        int threads = settings.transport().eventLoopThreads() == 0
                ? Runtime.getRuntime().availableProcessors()
                : settings.transport().eventLoopThreads();
        DescriptorBudget budget = DescriptorBudget.plan(
                settings, threads, DescriptorBudget.processLimit().orElse(Long.MAX_VALUE));
        if (budget.lowered(settings.limits())) {
            log.info(
                    "max-connections auto: {} client connections, not {}, because this process may open {} file"
                            + " descriptors (RLIMIT_NOFILE) and each connection may need two, besides {} for the"
                            + " pools and a reserve; raise the limit (ulimit -n, systemd LimitNOFILE=) for more",
                    budget.connections(),
                    settings.limits().maxConnections(),
                    budget.limit(),
                    budget.fixedCost());
        }
        // Certificates first: a bad file stops the start before any thread or port is taken.
        TlsTermination tls =
                settings.tls().map(t -> TlsTermination.start(t, meters)).orElse(null);
        EventLoopGroup acceptors = transport.newGroup(1, "teal-accept");
        EventLoopGroup workers = transport.newGroup(threads, "teal-io");
        try {
            TrafficWindows windows =
                    new TrafficWindows(settings.rollout().plan().analysis().window(), System::currentTimeMillis);
            ProxyMetrics metrics = new ProxyMetrics(meters, windows);
            Upstreams upstreams = new Upstreams(settings, transport.socketChannel(), metrics);
            HealthChecks healthChecks = new HealthChecks(workers.next(), upstreams, transport.socketChannel());
            // The split is read per request through this holder, so a ramp is one volatile write.
            TrafficController[] control = new TrafficController[1];
            Supplier<Split> currentSplit = () -> control[0].split();
            control[0] = new TrafficController(null, split, upstreams, healthChecks, Clock.systemUTC());
            Sessions sessions = Sessions.open(settings, meters, currentSplit, unseenSessionsPossible, windows);
            SessionRouting routing = new PinnedRouting(sessions.router(), currentSplit);
            ProxyRuntime runtime = new ProxyRuntime(settings, upstreams, metrics, routing);
            control[0].bind(runtime, sessions);
            control[0].reload(settings);

            ChannelGroup clients = new DefaultChannelGroup("teal-clients", GlobalEventExecutor.INSTANCE);
            ConnectionLimit limit = new ConnectionLimit(
                    () -> budget.connectionLimit(runtime.settings().limits()), metrics);
            Channel listener = listen(
                    settings.listen(),
                    "teal.listen",
                    bootstrap(acceptors, workers, transport, metrics)
                            .childHandler(new ClientChannelInitializer(runtime, limit, clients, null)));
            Channel tlsListener = null;
            if (tls != null) {
                try {
                    tlsListener = listen(
                            tls.settings().listen(),
                            "teal.tls.listen",
                            bootstrap(acceptors, workers, transport, metrics)
                                    .childAttr(ClientTls.TLS, Boolean.TRUE)
                                    .childHandler(new ClientChannelInitializer(runtime, limit, clients, tls)));
                } catch (RuntimeException e) {
                    listener.close().awaitUninterruptibly();
                    throw e;
                }
            }
            return new TealProxy(
                    settings,
                    acceptors,
                    workers,
                    listener,
                    tlsListener,
                    tls,
                    clients,
                    upstreams,
                    healthChecks,
                    control[0],
                    sessions,
                    transport.name() + ", " + threads + " event loop" + (threads == 1 ? "" : "s"));
        } catch (RuntimeException e) {
            acceptors.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static ServerBootstrap bootstrap(
            EventLoopGroup acceptors, EventLoopGroup workers, Transport transport, ProxyMetrics metrics) {
        return new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                // Accepting starts with serve().
                .option(ChannelOption.AUTO_READ, false)
                .handler(new AcceptErrors(metrics))
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
    }

    private static Channel listen(dev.teal.config.HostPort where, String setting, ServerBootstrap bootstrap) {
        ChannelFuture bound = bootstrap
                .bind(new InetSocketAddress(where.host(), where.port()))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new UncheckedIOException(new IOException(
                    "cannot listen on " + where + " for the proxy (" + setting + "): "
                            + bound.cause().getMessage(),
                    bound.cause()));
        }
        return bound.channel();
    }

    /** Starts accepting on the listener {@link #bind} bound. Idempotent. */
    public TealProxy serve() {
        if (!listener.config().isAutoRead()) {
            listener.config().setAutoRead(true);
            log.info(
                    "teal listening on {} ({}); blue {}, green {}, split green {} %",
                    settings.listen().host() + ":" + localAddress().getPort(),
                    transportDescription,
                    settings.color(Color.BLUE).backends(),
                    settings.color(Color.GREEN).backends(),
                    control.split().green());
        }
        if (tlsListener != null && !tlsListener.config().isAutoRead()) {
            tlsListener.config().setAutoRead(true);
            tls.watch();
            log.info(
                    "teal listening for TLS on {} ({}, {} certificate{}: {})",
                    tls.settings().listen().host() + ":" + tlsAddress().getPort(),
                    tls.provider() == SslProvider.OPENSSL ? "OpenSSL" : "JDK TLS",
                    tls.certificates().certificates().size(),
                    tls.certificates().certificates().size() == 1 ? "" : "s",
                    TlsTermination.describeInService(tls));
        }
        return this;
    }

    /** The bound client listener (the real port when configured with port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The bound TLS listener (the real port when configured with port 0). */
    public InetSocketAddress tlsAddress() {
        if (tlsListener == null) {
            throw new IllegalStateException("no TLS listener (teal.tls.listen is not set)");
        }
        return (InetSocketAddress) tlsListener.localAddress();
    }

    /** The TLS listener's certificates in service; empty without teal.tls. */
    public java.util.Optional<TlsTermination> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    public TrafficControl traffic() {
        return control;
    }

    /** The event loops that serve clients: a supervisor's watchdog probes them (they must never block). */
    public Iterable<EventExecutor> eventLoops() {
        return workers;
    }

    /** Open client connections (for tests and status). */
    public int clientConnections() {
        return clients.size();
    }

    /**
     * Stops accepting, lets in-flight requests finish for at most {@code drainTimeout}, closes idle
     * keep-alive connections politely, then closes everything. Blocks until done. Idempotent.
     */
    public void shutdown(Duration drainTimeout) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        listener.close().awaitUninterruptibly();
        if (tlsListener != null) {
            tls.close();
            tlsListener.close().awaitUninterruptibly();
        }
        int busy = clients.size();
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> {
                ClientConnection h = ch.pipeline().get(ClientConnection.class);
                if (h != null) {
                    h.shutdown();
                } else {
                    ch.close();
                }
            });
        }
        while (!clients.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int forced = clients.size();
        clients.close().awaitUninterruptibly();
        healthChecks.stop();
        upstreams.close();
        sessions.close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        log.info(
                "teal stopped: {} client connection{} at shutdown, {} closed at the {} ms drain deadline",
                busy,
                busy == 1 ? "" : "s",
                forced,
                drainTimeout.toMillis());
    }

    /** {@link #shutdown} with the configured drain time-out. */
    @Override
    public void close() {
        shutdown(settings.shutdownDrainTimeout());
    }
}
