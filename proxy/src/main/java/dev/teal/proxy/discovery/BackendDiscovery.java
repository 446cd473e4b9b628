package dev.teal.proxy.discovery;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Backend;
import dev.teal.config.Color;
import dev.teal.config.ColorSettings;
import dev.teal.config.DiscoverySettings;
import dev.teal.config.DnsSource;
import dev.teal.config.HostPort;
import dev.teal.config.TealSettings;
import dev.teal.proxy.Split;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends of the colors' DNS names, kept current: each name is resolved at start, then again when
 * its records' TTL runs out (never sooner than {@code min-ttl}, never later than {@code max-ttl}). A set
 * that changed reaches the data plane as the settings of a configuration reload would: the configured
 * settings with, per color, the listed backends plus what the names found ({@link #settings()}), given
 * to the same {@code TrafficControl.reload}. Instances that stay keep their state and connections; those
 * that go get no new sessions, and their open connections and requests finish.
 *
 * <p>A resolution that fails (time-out, SERVFAIL, NXDOMAIN, no records) keeps the name's last good set,
 * is counted in {@code teal_discovery_errors_total{color,reason}}, logged when the reason changes, and
 * retried after {@code min-ttl}. A name that never resolved gives no backend: its color answers 503 until
 * it does.
 *
 * <p>Resolutions complete on the discovery's own event loop; the state below is guarded by this object's
 * monitor, taken by that loop, by reloads (admin threads) and by metric scrapes, never by a proxy event loop.
 */
public final class BackendDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackendDiscovery.class);

    private final DiscoverySettings dns;
    private final MeterRegistry meters;
    private final Clock clock;
    private final List<Meter> registered = new ArrayList<>();
    /** Serializes reloads: each waits for its new names outside the monitor. */
    private final Object reloadLock = new Object();

    private volatile DnsLookup lookup; // made when a first name is configured
    private TealSettings configured;
    private TealSettings inForce;
    private final Map<Key, Watch> watches = new LinkedHashMap<>();
    private Consumer<TealSettings> apply; // null until attached
    private boolean closed;

    private record Key(Color color, DnsSource source) {}

    private BackendDiscovery(TealSettings settings, MeterRegistry meters, Clock clock) {
        this.dns = settings.discovery();
        this.meters = requireNonNull(meters, "meters");
        this.clock = requireNonNull(clock, "clock");
        this.configured = settings;
        this.inForce = settings;
        for (Color c : Color.values()) {
            registered.add(Gauge.builder("teal.discovery.backends", this, d -> d.discoveredCount(c))
                    .description("Backends of the color found in DNS and in force (listed ones not counted)")
                    .tags("color", c.id())
                    .strongReference(true)
                    .register(meters));
            registered.add(Gauge.builder("teal.discovery.last.refresh.timestamp", this, d -> d.oldestRefresh(c))
                    .description("When the color's least recently resolved DNS name last resolved (Unix"
                            + " seconds; NaN until every name of the color resolved once)")
                    .baseUnit("seconds")
                    .tags("color", c.id())
                    .strongReference(true)
                    .register(meters));
        }
    }

    /**
     * Resolves every configured name once, waiting at most a few query time-outs, and keeps them current
     * from {@link #attach} on. Without names it does nothing and costs nothing.
     *
     * @param settings the settings as configured
     */
    public static BackendDiscovery start(TealSettings settings, MeterRegistry meters, Clock clock) {
        requireNonNull(settings, "settings");
        BackendDiscovery discovery = new BackendDiscovery(settings, meters, clock);
        discovery.install(settings);
        return discovery;
    }

    /** The settings to run with: the configured ones with, per color, the backends discovery found. */
    public synchronized TealSettings settings() {
        return inForce;
    }

    /**
     * From now on, changes reach the data plane through {@code apply} (the proxy's {@code reload}); what
     * changed since {@link #settings()} was read is applied at once.
     */
    public void attach(Consumer<TealSettings> apply) {
        requireNonNull(apply, "apply");
        synchronized (this) {
            this.apply = apply;
            applyIfChanged();
        }
    }

    /**
     * Applies reloaded settings with the backends of their names: names kept keep their last set and
     * schedule, new names are resolved first (waiting at most a few query time-outs), names gone stop.
     */
    public void reload(TealSettings next) {
        requireNonNull(next, "next");
        synchronized (reloadLock) {
            install(next);
        }
    }

    private void install(TealSettings next) {
        List<Watch> added = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Color c : Color.values()) {
                for (DnsSource source : next.color(c).discovery()) {
                    if (!watches.containsKey(new Key(c, source))) {
                        added.add(new Watch(c, source));
                    }
                }
            }
            if (!added.isEmpty() && lookup == null) {
                lookup = new DnsLookup(dns);
            }
        }
        // First answers are awaited outside the monitor: they complete on the discovery loop, which takes it.
        List<Future<Resolution>> firsts = new ArrayList<>();
        for (Watch w : added) {
            firsts.add(refresh(w));
        }
        awaitAll(firsts);
        synchronized (this) {
            if (closed) {
                added.forEach(Watch::cancel);
                return;
            }
            configured = next;
            Set<Key> wanted = new HashSet<>();
            for (Color c : Color.values()) {
                for (DnsSource source : next.color(c).discovery()) {
                    wanted.add(new Key(c, source));
                }
            }
            watches.entrySet().removeIf(e -> {
                if (!wanted.contains(e.getKey())) {
                    e.getValue().cancel();
                    log.info(
                            "{} no longer discovers backends from {}: removed from the configuration",
                            e.getKey().color(),
                            e.getKey().source());
                    return true;
                }
                return false;
            });
            for (Watch w : added) {
                watches.put(new Key(w.color, w.source), w);
                w.installed = true;
                if (w.backends.isEmpty()) {
                    log.warn(
                            "{} backends from {}: none found yet ({}); the color has {} other backends",
                            w.color,
                            w.source,
                            w.failure == null ? "no answer in time" : w.failure,
                            next.color(w.color).backends().size());
                }
            }
            inForce = effective();
            if (apply != null) {
                apply.accept(inForce);
            }
        }
    }

    /** Waits for the first answers, bounded: a server that answers nothing delays a start by seconds. */
    private void awaitAll(List<Future<Resolution>> firsts) {
        long servers = Math.max(1, dns.servers().size());
        // An SRV name takes two rounds (SRV, then the targets' addresses), each may try every server.
        long waitNanos = Math.min(
                Duration.ofSeconds(30).toNanos(),
                dns.timeout().toNanos() * 2 * servers + Duration.ofMillis(500).toNanos());
        long deadline = System.nanoTime() + waitNanos;
        for (Future<Resolution> f : firsts) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                log.warn(
                        "DNS discovery: not every name answered within {} ms; they apply when they do",
                        waitNanos / 1_000_000);
                return;
            }
        }
    }

    private Future<Resolution> refresh(Watch w) {
        if (w.cancelled) {
            return lookup.loop().newSucceededFuture(null);
        }
        Future<Resolution> f = lookup.resolve(w.source);
        f.addListener(done -> resolved(w, f));
        return f;
    }

    private synchronized void resolved(Watch w, Future<Resolution> f) {
        if (w.cancelled || closed) {
            return;
        }
        Instant now = clock.instant();
        Duration delay;
        boolean changed = false;
        if (f.isSuccess()) {
            Resolution r = f.getNow();
            List<Backend> found = new ArrayList<>(r.addresses().size());
            for (HostPort address : r.addresses()) {
                found.add(backend(address));
            }
            delay = clamp(r.ttl());
            if (!found.equals(w.backends)) {
                changed = true;
                logChange(w, found, r.ttl(), delay);
                w.backends = List.copyOf(found);
            }
            if (w.failure != null) {
                log.info("{} backends from {}: resolves again ({} backends)", w.color, w.source, found.size());
            }
            w.refreshed = now;
            w.failure = null;
            w.reason = null;
        } else {
            FailureReason reason = FailureReason.of(f.cause());
            Counter.builder("teal.discovery.errors")
                    .description("Resolutions of a DNS name of the color that found nothing (the last good set stays)")
                    .tags("color", w.color.id(), "reason", reason.label())
                    .register(meters)
                    .increment();
            if (reason != w.reason) {
                log.warn(
                        "{} backends from {}: resolution failed ({}: {}); keeping the last good set of {} backends,"
                                + " retrying every {} ms",
                        w.color,
                        w.source,
                        reason.label(),
                        f.cause().getMessage(),
                        w.backends.size(),
                        dns.minTtl().toMillis());
            }
            w.reason = reason;
            w.failure = reason.label() + ": " + f.cause().getMessage();
            delay = dns.minTtl();
        }
        w.nextRefresh = now.plus(delay);
        w.next = lookup.loop().schedule(() -> refresh(w), delay.toNanos(), TimeUnit.NANOSECONDS);
        if (changed && w.installed) {
            applyIfChanged();
        }
    }

    private void applyIfChanged() {
        TealSettings next = effective();
        if (apply == null || next.equals(inForce)) {
            inForce = next;
            return;
        }
        inForce = next;
        try {
            apply.accept(next);
        } catch (RuntimeException e) {
            log.error("DNS discovery: applying the discovered backends failed; the previous ones stay", e);
        }
    }

    private Duration clamp(Duration ttl) {
        if (ttl.compareTo(dns.minTtl()) < 0) {
            return dns.minTtl();
        }
        return ttl.compareTo(dns.maxTtl()) > 0 ? dns.maxTtl() : ttl;
    }

    private void logChange(Watch w, List<Backend> found, Duration ttl, Duration delay) {
        List<Backend> appeared = new ArrayList<>(found);
        appeared.removeAll(w.backends);
        List<Backend> gone = new ArrayList<>(w.backends);
        gone.removeAll(found);
        log.info(
                "{} backends from {}: {} (appeared {}, gone {}; TTL {} s, asked again in {} ms)",
                w.color,
                w.source,
                found,
                appeared,
                gone,
                ttl.toSeconds(),
                delay.toMillis());
    }

    /** The configured settings with, per color with names, its listed backends and the names' ones. */
    private TealSettings effective() {
        Map<Color, ColorSettings> colors = new EnumMap<>(Color.class);
        for (Color c : Color.values()) {
            ColorSettings color = configured.color(c);
            if (color.discovery().isEmpty()) {
                continue;
            }
            List<Backend> backends = new ArrayList<>(color.backends());
            Set<HostPort> listed = new HashSet<>();
            for (Backend b : color.backends()) {
                listed.add(b.address());
            }
            for (Backend b : discovered(c)) {
                // An address both listed and found is the listed backend (with its own settings), once.
                if (!listed.contains(b.address())) {
                    backends.add(b);
                }
            }
            colors.put(c, color.withBackends(backends));
        }
        return colors.isEmpty() ? configured : configured.withColors(colors);
    }

    /** The color's discovered backends, in the order of its names, each once. */
    private List<Backend> discovered(Color c) {
        List<Backend> all = new ArrayList<>();
        for (DnsSource source : configured.color(c).discovery()) {
            Watch w = watches.get(new Key(c, source));
            if (w != null) {
                for (Backend b : w.backends) {
                    if (!all.contains(b)) {
                        all.add(b);
                    }
                }
            }
        }
        return all;
    }

    /** A discovered instance: the same backend a listed {@code host:port} would be. */
    private static Backend backend(HostPort address) {
        return new Backend(address);
    }

    private synchronized double discoveredCount(Color c) {
        return discovered(c).size();
    }

    private synchronized double oldestRefresh(Color c) {
        Instant oldest = null;
        for (DnsSource source : configured.color(c).discovery()) {
            Watch w = watches.get(new Key(c, source));
            if (w == null || w.refreshed == null) {
                return Double.NaN;
            }
            oldest = oldest == null || w.refreshed.isBefore(oldest) ? w.refreshed : oldest;
        }
        return oldest == null ? Double.NaN : oldest.toEpochMilli() / 1000.0;
    }

    /** Every configured name and what it found, for {@code /status}. */
    public synchronized List<DiscoveredName> names() {
        List<DiscoveredName> names = new ArrayList<>();
        for (Watch w : watches.values()) {
            names.add(new DiscoveredName(
                    w.color,
                    w.source,
                    w.backends,
                    Optional.ofNullable(w.refreshed),
                    Optional.ofNullable(w.nextRefresh),
                    Optional.ofNullable(w.failure)));
        }
        return names;
    }

    /**
     * Why teal is not ready because of discovery: a color with a share of the split whose backends all
     * come from names that found none.
     */
    public synchronized List<String> problems(Split split) {
        List<String> problems = new ArrayList<>();
        for (Color c : Color.values()) {
            ColorSettings color = inForce.color(c);
            if (color.discovery().isEmpty() || !color.backends().isEmpty() || split.percent(c) == 0) {
                continue;
            }
            List<String> why = new ArrayList<>();
            for (DnsSource source : color.discovery()) {
                Watch w = watches.get(new Key(c, source));
                why.add(source + (w == null || w.failure == null ? "" : " (" + w.failure + ")"));
            }
            problems.add(c + " has " + split.percent(c) + " % of the split but DNS discovery found no backends: "
                    + String.join(", ", why));
        }
        return problems;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            watches.values().forEach(Watch::cancel);
            watches.clear();
            registered.forEach(meters::remove);
        }
        if (lookup != null) {
            lookup.close();
        }
    }

    /** One name of one color: its last good set and its schedule. Guarded by the discovery's monitor. */
    private static final class Watch {
        final Color color;
        final DnsSource source;
        List<Backend> backends = List.of();
        Instant refreshed;
        Instant nextRefresh;
        FailureReason reason;
        String failure;
        boolean installed;
        volatile boolean cancelled;
        ScheduledFuture<?> next;

        Watch(Color color, DnsSource source) {
            this.color = color;
            this.source = source;
        }

        void cancel() {
            cancelled = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }
}
