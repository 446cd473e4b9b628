package dev.teal.admin;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.ColorSnapshot;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.TrafficSnapshot;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how teal is doing, the {@code sd_notify} protocol: datagrams of {@code KEY=value} lines to
 * the Unix socket in {@code $NOTIFY_SOCKET}, sent through Netty's epoll datagram channel (no JNA, no
 * {@code systemd-notify} subprocess, which systemd may not even attribute to this process).
 *
 * <ul>
 *   <li>{@code READY=1} once every listener is bound and the state loaded, with a {@code STATUS=} line;
 *   <li>{@code RELOADING=1} (with {@code MONOTONIC_USEC}) and {@code READY=1} around a reload;
 *   <li>{@code STOPPING=1} when a stop was asked for;
 *   <li>{@code WATCHDOG=1} every half of {@code $WATCHDOG_USEC}, only while every event loop of the data
 *       plane runs the probe sent to it the round before: a stuck loop stops the pings and systemd restarts
 *       teal;
 *   <li>{@code STATUS=} with the split and the drain, every few seconds when it changed.
 * </ul>
 *
 * <p>Without {@code $NOTIFY_SOCKET} (not started by systemd) every call does nothing.
 */
final class SystemdNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final Duration STATUS_EVERY = Duration.ofSeconds(5);
    private static final Discard DISCARD = new Discard();

    private final EventLoopGroup group;
    private final Channel channel;
    private final DomainSocketAddress target;
    private volatile Supplier<TrafficSnapshot> traffic;
    private volatile String lastStatus = "";
    private ScheduledFuture<?> statusTask;
    private ScheduledFuture<?> watchdogTask;

    private SystemdNotifier(EventLoopGroup group, Channel channel, DomainSocketAddress target) {
        this.group = group;
        this.channel = channel;
        this.target = target;
    }

    /** A notifier that does nothing: teal was not started by systemd, or this is the demo. */
    static SystemdNotifier none() {
        return new SystemdNotifier(null, null, null);
    }

    /**
     * The notifier {@code environment} asks for: {@link #none()} without {@code NOTIFY_SOCKET}; a path, or
     * an abstract socket written {@code @name}.
     */
    static SystemdNotifier fromEnvironment(Map<String, String> environment) {
        String socket = environment.getOrDefault("NOTIFY_SOCKET", "");
        if (socket.isEmpty()) {
            return none();
        }
        if (!Epoll.isAvailable()) {
            log.warn(
                    "NOTIFY_SOCKET is set but the epoll transport did not load ({}): systemd will not hear from teal",
                    Epoll.unavailabilityCause().toString());
            return none();
        }
        String path = socket.charAt(0) == '@' ? '\0' + socket.substring(1) : socket;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("teal-systemd", true), EpollIoHandler.newFactory());
        try {
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(EpollDomainDatagramChannel.class)
                    .handler(DISCARD)
                    // Connected, so the channel is active and every write goes to systemd.
                    .connect(new DomainSocketAddress(path))
                    .syncUninterruptibly()
                    .channel();
            return new SystemdNotifier(group, channel, new DomainSocketAddress(path));
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            log.warn("cannot open a datagram socket for NOTIFY_SOCKET {}: {}", socket, e.toString());
            return none();
        }
    }

    /**
     * The data plane is serving: {@code READY=1}, then the status every few seconds and, when systemd set
     * {@code WATCHDOG_USEC} for this process, the watchdog pings probing {@code eventLoops}.
     */
    void ready(Supplier<TrafficSnapshot> traffic, Iterable<EventExecutor> eventLoops, Map<String, String> env) {
        requireNonNull(traffic, "traffic");
        requireNonNull(eventLoops, "eventLoops");
        if (channel == null) {
            return;
        }
        this.traffic = traffic;
        String status = status(traffic.get());
        lastStatus = status;
        send("READY=1\nSTATUS=" + status + "\nMAINPID="
                + ProcessHandle.current().pid());
        statusTask = group.next()
                .scheduleWithFixedDelay(
                        this::refreshStatus, STATUS_EVERY.toMillis(), STATUS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        watchdogInterval(env).ifPresent(interval -> startWatchdog(interval, eventLoops));
    }

    /** A reload starts: systemd reports the unit "reloading" until the next {@link #reloaded}. */
    void reloading() {
        // MONOTONIC_USEC: CLOCK_MONOTONIC, which System.nanoTime reads on Linux; systemd 253+ wants it.
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\nSTATUS=reloading the settings");
    }

    /** A reload ended (applied or refused: teal serves on either way). */
    void reloaded(String outcome) {
        String status = traffic == null ? outcome : status(traffic.get());
        lastStatus = status;
        send("READY=1\nSTATUS=" + status);
    }

    /** A stop was asked for: teal drains for at most {@code drainTimeout}. */
    void stopping(Duration drainTimeout) {
        send("STOPPING=1\nSTATUS=stopping: draining in-flight requests for at most " + drainTimeout.toMillis() + " ms");
    }

    /** {@code STATUS=} text: the split, then per color its drain state and sessions. */
    static String status(TrafficSnapshot snapshot) {
        StringBuilder text = new StringBuilder("split green ")
                .append(snapshot.split().green())
                .append(" %");
        for (Color color : Color.values()) {
            ColorSnapshot c = snapshot.color(color);
            if (c == null) {
                continue;
            }
            text.append("; ")
                    .append(color.id())
                    .append(' ')
                    .append(c.drain().id())
                    .append(", ")
                    .append(c.activeSessions())
                    .append(c.activeSessions() == 1 ? " session" : " sessions");
            if (c.drain() == DrainState.DRAINING) {
                c.drainDeadline().ifPresent(deadline -> text.append(", deadline ")
                        .append(deadline.truncatedTo(ChronoUnit.SECONDS)));
            }
        }
        return text.toString();
    }

    /** {@code WATCHDOG_USEC} when it is meant for this process ({@code WATCHDOG_PID} unset or ours). */
    static Optional<Duration> watchdogInterval(Map<String, String> env) {
        String usec = env.getOrDefault("WATCHDOG_USEC", "");
        String pid = env.getOrDefault("WATCHDOG_PID", "");
        if (usec.isEmpty()
                || (!pid.isEmpty()
                        && !pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec);
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            log.warn("WATCHDOG_USEC: '{}' (expected: microseconds): no watchdog pings", usec);
            return Optional.empty();
        }
    }

    private void startWatchdog(Duration interval, Iterable<EventExecutor> eventLoops) {
        long every = Math.max(1, interval.toNanos() / 2);
        AtomicInteger outstanding = new AtomicInteger();
        watchdogTask = group.next()
                .scheduleAtFixedRate(
                        () -> {
                            // Every loop ran last round's probe: all are alive, say so, and probe again.
                            if (outstanding.get() == 0) {
                                send("WATCHDOG=1");
                                for (EventExecutor loop : eventLoops) {
                                    outstanding.incrementAndGet();
                                    try {
                                        loop.execute(outstanding::decrementAndGet);
                                    } catch (RejectedExecutionException e) {
                                        // Shutting down: STOPPING=1 was sent, the pings may stop.
                                    }
                                }
                            }
                        },
                        0,
                        every,
                        TimeUnit.NANOSECONDS);
        log.info("systemd watchdog: a ping every {} ms while the event loops answer", every / 1_000_000);
    }

    private void refreshStatus() {
        Supplier<TrafficSnapshot> source = traffic;
        if (source == null) {
            return;
        }
        String status = status(source.get());
        if (!status.equals(lastStatus)) {
            lastStatus = status;
            send("STATUS=" + status);
        }
    }

    private void send(String message) {
        if (channel == null) {
            return;
        }
        channel.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        log.warn(
                                "cannot notify systemd at {}: {}",
                                target.path(),
                                f.cause().toString());
                    }
                });
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        if (statusTask != null) {
            statusTask.cancel(false);
        }
        if (watchdogTask != null) {
            watchdogTask.cancel(false);
        }
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Nothing comes back on the socket; anything that did would be released here. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
