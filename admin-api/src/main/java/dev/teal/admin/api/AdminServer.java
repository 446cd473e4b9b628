package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.cluster.ClusterView;
import dev.teal.admin.cluster.Leadership;
import dev.teal.admin.phase.PhaseRunner;
import dev.teal.admin.plan.PlanRunner;
import dev.teal.admin.rollout.DrainWatcher;
import dev.teal.admin.rollout.RampGuard;
import dev.teal.admin.rollout.Ramper;
import dev.teal.admin.rollout.SettleGuard;
import dev.teal.admin.state.LiveState;
import dev.teal.config.AdminSettings;
import dev.teal.config.HostPort;
import dev.teal.config.PlanSettings;
import dev.teal.config.RolloutSettings;
import dev.teal.proxy.Split;
import dev.teal.proxy.TrafficControl;
import dev.teal.proxy.discovery.DiscoveredName;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API and the dashboard on their own listener, with their own single event loop thread, so
 * that an operator can always reach teal however busy the data plane is.
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.builder(settings.admin(), proxy.traffic(), liveState, registry)
 *         .reloader(reloader)
 *         .phases(settings.rollout(), settings.stateDir())
 *         .start();
 * }</pre>
 *
 * <p>Endpoints run on two worker threads (they may block: file I/O, fsync, a reload), never on the event
 * loop. A ticker thread samples the history and watches drains.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_BODY = 16 * 1024;
    private static final Duration IDLE_CLOSE = Duration.ofSeconds(60);
    private static final Duration FORWARD_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final EventLoopGroup group;
    private final Channel channel;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    private final Readiness readiness;
    private final Optional<PhaseRunner> phases;
    private final Optional<PlanRunner> plan;
    private final InetSocketAddress localAddress;
    private volatile ApiDispatcher dispatcher;
    private final StatusEvents events;

    private AdminServer(Builder b) {
        b.token.ifPresent(AccessRules::validateToken);
        InetAddress bindAddress = resolve(b.listen);
        if (!bindAddress.isLoopbackAddress() && b.token.isEmpty()) {
            throw new IllegalArgumentException("admin.listen: " + b.listen + " is not a loopback address and"
                    + " admin.token is not set (expected: a token, e.g. TEAL_ADMIN_TOKEN, or a loopback address)");
        }
        Clock clock = b.clock;
        TrafficControl control = b.control;
        Split stored = b.state.current().split();
        if (!control.split().equals(stored)) {
            log.info(
                    "Applying the stored split green {} % (the data plane had {} %)",
                    stored.green(), control.split().green());
            control.setSplit(stored);
        }
        // Another instance's change: this data plane follows it (own changes are applied by the Ramper).
        b.state.onApplied((applied, fromAnotherInstance) -> {
            if (fromAnotherInstance) {
                log.info(
                        "Applying state version {} stored by another instance: split green {} %, rollout {} {}",
                        applied.version(),
                        applied.state().split().green(),
                        applied.state().rollout().id(),
                        applied.state().rollout().state());
                control.setSplit(applied.state().split());
            }
        });
        readiness = new Readiness(control, b.readinessChecks);
        SessionHistory history = new SessionHistory(control, b.historyInterval);
        phases = b.rollout.map(
                rollout -> PhaseRunner.start(rollout, b.phaseStateDir, b.state, control, b.meters, clock));
        List<RampGuard> guards = new ArrayList<>(b.guards);
        // Last: cheaper checks veto a step before its gating phases run.
        phases.ifPresent(guards::add);
        Ramper ramper = new Ramper(b.state, control, guards, clock);
        ClusterView cluster = b.cluster.orElseGet(() -> ClusterView.single(b.state, "self", clock.instant()));
        try {
            plan = b.rollout
                    .filter(rollout -> rollout.plan().configured())
                    .map(rollout -> PlanRunner.start(
                            rollout.plan(),
                            b.phaseStateDir,
                            b.state,
                            ramper,
                            control,
                            b.meters,
                            clock,
                            b.planTick,
                            b.leadership::isLeader));
        } catch (RuntimeException e) {
            phases.ifPresent(PhaseRunner::close);
            throw e;
        }
        StatusEndpoint status = new StatusEndpoint(control, b.state, phases, cluster, b.leadership, plan, b.discovery);
        events = new StatusEvents(status::view);
        AdminRouter router =
                new AdminRouter(routes(b, ramper, readiness, history, phases, cluster, plan, status, events));

        workers = new ThreadPoolExecutor(
                2,
                2,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64),
                new DefaultThreadFactory("teal-admin-worker", true));
        ticker = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("teal-admin-ticker", true));
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("teal-admin"), NioIoHandler.newFactory());
        try {
            channel = bind(bindAddress, b.listen);
        } catch (RuntimeException e) {
            stopThreads();
            throw e;
        }
        localAddress = (InetSocketAddress) channel.localAddress();
        AccessRules rules = new AccessRules(b.token, b.listen.host(), bindAddress, localAddress.getPort());
        dispatcher = new ApiDispatcher(rules, router, new AuditLog(clock));
        channel.config().setAutoRead(true);
        history.run();
        long historyMillis = b.historyInterval.toMillis();
        ticker.scheduleAtFixedRate(
                guarded(history, "history sample"), historyMillis, historyMillis, TimeUnit.MILLISECONDS);
        long eventMillis = StatusEvents.TICK.toMillis();
        ticker.scheduleWithFixedDelay(
                guarded(events, "status events"), eventMillis, eventMillis, TimeUnit.MILLISECONDS);
        long drainMillis = b.drainCheckInterval.toMillis();
        List<SettleGuard> settleGuards = new ArrayList<>();
        phases.ifPresent(settleGuards::add);
        ticker.scheduleAtFixedRate(
                new DrainWatcher(b.state, control, clock, settleGuards, b.leadership::isLeader),
                drainMillis,
                drainMillis,
                TimeUnit.MILLISECONDS);
        log.info("Admin API and dashboard on {} (token {})", uri(), b.token.isPresent() ? "required" : "not required");
    }

    /** The whole API on one page. */
    private static List<Route> routes(
            Builder b,
            Ramper ramper,
            Readiness readiness,
            SessionHistory history,
            Optional<PhaseRunner> phases,
            ClusterView cluster,
            Optional<PlanRunner> plan,
            StatusEndpoint status,
            StatusEvents events) {
        TrafficControl control = b.control;
        // State changes are the leader's: another instance forwards them (the file store: always the leader).
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(FORWARD_CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        Duration forwardTimeout = forwardTimeout(b.rollout);
        java.util.function.UnaryOperator<Endpoint> leader = endpoint -> b.selfId.isEmpty()
                ? endpoint
                : new LeaderForwarding(endpoint, b.leadership, b.state, b.selfId.get(), http, forwardTimeout);
        List<Route> routes = new ArrayList<>();
        DashboardEndpoint dashboard = new DashboardEndpoint();
        routes.add(new Route("/", List.of(HttpMethod.GET), Route.Access.PUBLIC, dashboard));
        routes.add(new Route("/ui/", List.of(HttpMethod.GET), Route.Access.PUBLIC, dashboard));
        routes.add(new Route("/favicon.ico", List.of(HttpMethod.GET), Route.Access.PUBLIC, dashboard));
        routes.add(new Route(
                "/ramp",
                List.of(HttpMethod.GET, HttpMethod.POST),
                Route.Access.MUTATE,
                leader.apply(new RampEndpoint(ramper, b.state, cluster))));
        routes.add(new Route("/status", List.of(HttpMethod.GET), Route.Access.READ, status));
        routes.add(new Route("/events", List.of(HttpMethod.GET), Route.Access.READ, new EventsEndpoint(events)));
        routes.add(new Route(
                "/analysis",
                List.of(HttpMethod.GET, HttpMethod.POST),
                Route.Access.READ,
                new AnalysisEndpoint(
                        b.rollout.map(RolloutSettings::plan).orElseGet(PlanSettings::none),
                        control,
                        b.state,
                        b.clock)));
        RolloutEndpoint rollout = new RolloutEndpoint(plan);
        routes.add(new Route(RolloutEndpoint.PATH, List.of(HttpMethod.GET), Route.Access.READ, rollout));
        routes.add(new Route(
                RolloutEndpoint.PREFIX, List.of(HttpMethod.POST), Route.Access.MUTATE, leader.apply(rollout)));
        routes.add(new Route("/phases", List.of(HttpMethod.GET), Route.Access.READ, new PhasesEndpoint(phases)));
        routes.add(new Route(
                PhaseRunEndpoint.PREFIX,
                List.of(HttpMethod.POST),
                Route.Access.MUTATE,
                leader.apply(new PhaseRunEndpoint(phases))));
        routes.add(new Route("/metrics", List.of(HttpMethod.GET), Route.Access.READ, new MetricsEndpoint(b.meters)));
        routes.add(new Route("/sessions", List.of(HttpMethod.GET), Route.Access.READ, new SessionsEndpoint(control)));
        routes.add(new Route("/history", List.of(HttpMethod.GET), Route.Access.READ, new HistoryEndpoint(history)));
        routes.add(new Route("/healthz", List.of(HttpMethod.GET), Route.Access.READ, HealthEndpoints.liveness()));
        routes.add(
                new Route("/readyz", List.of(HttpMethod.GET), Route.Access.READ, HealthEndpoints.readiness(readiness)));
        routes.add(new Route("/reload", List.of(HttpMethod.POST), Route.Access.MUTATE, new ReloadEndpoint(b.reloader)));
        return routes;
    }

    /**
     * How long a forwarded change may take on the leader: its gating phases run in the request (each at
     * most its timeout), then {@code wait=converged} (at most a minute).
     */
    private static Duration forwardTimeout(Optional<RolloutSettings> rollout) {
        Duration phases = rollout.map(
                        r -> r.phases().stream().map(p -> p.timeout()).reduce(Duration.ZERO, Duration::plus))
                .orElse(Duration.ZERO);
        return phases.plus(Duration.ofMinutes(2));
    }

    private Channel bind(InetAddress bindAddress, HostPort listen) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                // Accepting starts once the dispatcher exists: the access rules need the bound port.
                .option(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new IdleStateHandler(0, 0, IDLE_CLOSE.toSeconds(), TimeUnit.SECONDS));
                        p.addLast(new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                                .setMaxHeaderSize(MAX_HEADER_SIZE)));
                        p.addLast(new HttpServerKeepAliveHandler());
                        p.addLast(new HttpObjectAggregator(MAX_BODY));
                        p.addLast(new AdminChannelHandler(dispatcher, workers, events));
                    }
                });
        try {
            return bootstrap.bind(bindAddress, listen.port()).sync().channel();
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException(
                    "cannot listen on " + listen + " for the admin API and dashboard (teal.admin.listen): "
                            + e.getMessage(),
                    e));
        }
    }

    public static Builder builder(
            AdminSettings admin, TrafficControl control, LiveState state, PrometheusMeterRegistry meters) {
        requireNonNull(admin, "admin");
        return new Builder(control, state, meters).listen(admin.listen()).token(admin.token());
    }

    /** The bound address (the real port when configured with port 0). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Where the dashboard is, e.g. {@code http://127.0.0.1:9901/}. */
    public URI uri() {
        InetAddress address = localAddress.getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + localAddress.getPort() + "/");
    }

    /** From now on {@code /readyz} answers 503 with {@code reason}; call it first thing on SIGTERM. */
    public void shuttingDown(String reason) {
        readiness.shuttingDown(reason);
    }

    /** Closes the listener and every admin connection, and stops the admin threads. Blocks until done. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        events.close();
        stopThreads();
    }

    private void stopThreads() {
        // Not shutdownNow: interrupting a state write in progress would only make it fail; it is short.
        ticker.shutdown();
        plan.ifPresent(PlanRunner::close);
        // A phase under way is stopped (its process tree killed, its statements cancelled) and journaled.
        phases.ifPresent(PhaseRunner::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Runnable guarded(Runnable task, String what) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed", what, e);
            }
        };
    }

    private static InetAddress resolve(HostPort listen) {
        try {
            return InetAddress.getByName(listen.host());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "admin.listen: " + listen + " (expected: a resolvable host name or an IP address)", e);
        }
    }

    /** How the admin server is put together; only the four constructor arguments are required. */
    public static final class Builder {
        private final TrafficControl control;
        private final LiveState state;
        private final PrometheusMeterRegistry meters;
        private HostPort listen = new HostPort("127.0.0.1", 9901);
        private Optional<String> token = Optional.empty();
        private Reloader reloader = () -> {
            throw new ReloadRefusedException(List.of("teal runs without a configuration file: nothing to re-read"));
        };
        private final List<RampGuard> guards = new ArrayList<>();
        private final List<ReadinessCheck> readinessChecks = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Supplier<List<DiscoveredName>> discovery = List::of;
        private Duration historyInterval = Duration.ofSeconds(5);
        private Duration drainCheckInterval = Duration.ofSeconds(1);
        private Duration planTick = Duration.ofSeconds(1);
        private Optional<RolloutSettings> rollout = Optional.empty();
        private Path phaseStateDir;
        private Optional<ClusterView> cluster = Optional.empty();
        private Leadership leadership = Leadership.alone();
        private Optional<String> selfId = Optional.empty();

        private Builder(TrafficControl control, LiveState state, PrometheusMeterRegistry meters) {
            this.control = requireNonNull(control, "control");
            this.state = requireNonNull(state, "state");
            this.meters = requireNonNull(meters, "meters");
        }

        /**
         * Where to listen. Normally from {@link AdminSettings}; the server checks the loopback/token rule
         * again on the resolved address.
         */
        public Builder listen(HostPort listen) {
            this.listen = requireNonNull(listen, "listen");
            return this;
        }

        public Builder token(Optional<String> token) {
            this.token = requireNonNull(token, "token");
            return this;
        }

        public Builder reloader(Reloader reloader) {
            this.reloader = requireNonNull(reloader, "reloader");
            return this;
        }

        /** Adds a check that may veto ramp steps (after the built-in "one step at a time"). */
        public Builder guard(RampGuard guard) {
            guards.add(requireNonNull(guard, "guard"));
            return this;
        }

        /**
         * Attaches the migration phases of {@code rollout} to ramps and drains, journaled in {@code
         * stateDir} (the state directory). Without it, ramps run no phases and {@code /phases} is empty.
         */
        public Builder phases(RolloutSettings rollout, Path stateDir) {
            this.rollout = Optional.of(requireNonNull(rollout, "rollout"));
            this.phaseStateDir = requireNonNull(stateDir, "stateDir");
            return this;
        }

        /** The instances sharing the state, for {@code /status} and {@code wait=converged} (default: this one). */
        public Builder cluster(ClusterView cluster) {
            this.cluster = Optional.of(requireNonNull(cluster, "cluster"));
            return this;
        }

        /**
         * The leader election of a cluster: only the leader starts phases, settles drains and runs the release
         * plan; state changes sent to another instance ({@code self}) are forwarded to it (default: alone, always
         * the leader).
         */
        public Builder leadership(Leadership leadership, String self) {
            this.leadership = requireNonNull(leadership, "leadership");
            this.selfId = Optional.of(requireNonNull(self, "self"));
            return this;
        }

        /** Adds a condition for {@code /readyz}, e.g. "settings loaded, listeners bound". */
        public Builder readiness(ReadinessCheck check) {
            readinessChecks.add(requireNonNull(check, "check"));
            return this;
        }

        /** The DNS names of the colors and what they found, for {@code /status} (default: none). */
        public Builder discovery(Supplier<List<DiscoveredName>> names) {
            this.discovery = requireNonNull(names, "names");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** How often the dashboard's history is sampled (default 5s; one hour is kept). */
        public Builder historyInterval(Duration interval) {
            this.historyInterval = positive(interval, "historyInterval");
            return this;
        }

        /** How often the rollout checks whether a drain completed (default 1s). */
        public Builder drainCheckInterval(Duration interval) {
            this.drainCheckInterval = positive(interval, "drainCheckInterval");
            return this;
        }

        /** How often the release plan looks at its step (default 1s); holds are measured on the clock. */
        public Builder planTickInterval(Duration interval) {
            this.planTick = positive(interval, "planTickInterval");
            return this;
        }

        /**
         * Binds the listener and starts serving.
         *
         * @throws IllegalArgumentException when the listener is not loopback and no token is set
         * @throws UncheckedIOException when the listener cannot be bound
         */
        public AdminServer start() {
            return new AdminServer(this);
        }

        private static Duration positive(Duration value, String name) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
