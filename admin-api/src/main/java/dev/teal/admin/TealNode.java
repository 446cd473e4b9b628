package dev.teal.admin;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.api.AdminServer;
import dev.teal.admin.api.ReloadRefusedException;
import dev.teal.config.Color;
import dev.teal.config.InvalidSettingsException;
import dev.teal.config.TealSettings;
import dev.teal.config.TlsSettings;
import dev.teal.proxy.TealProxy;
import dev.teal.proxy.discovery.BackendDiscovery;
import dev.teal.proxy.tls.CertificateSet;
import dev.teal.proxy.tls.InvalidCertificateException;
import dev.teal.proxy.tls.TlsTermination;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running teal: durable state opened first (the state directory, or the cluster's shared store), then the data plane on the split the state kept, then the
 * admin API; stopped in the reverse order. {@code teal run} and {@code teal demo} both are one of these.
 */
public final class TealNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TealNode.class);

    /** Where a reload reads the settings again from: the configuration file, or the demo's text. */
    @FunctionalInterface
    public interface SettingsSource {
        TealSettings read() throws InvalidSettingsException;
    }

    private final TealSettings settings;
    private final SettingsSource source;
    private final TealProxy proxy;
    private final AdminServer admin;
    private final SharedState shared;
    private final SystemdNotifier systemd;
    private final BackendDiscovery discovery;

    private TealNode(
            TealSettings settings,
            SettingsSource source,
            TealProxy proxy,
            AdminServer admin,
            SharedState shared,
            SystemdNotifier systemd,
            BackendDiscovery discovery) {
        this.discovery = discovery;
        this.settings = settings;
        this.source = source;
        this.proxy = proxy;
        this.admin = admin;
        this.shared = shared;
        this.systemd = systemd;
    }

    /**
     * Opens the state directory, starts the proxy and the admin API.
     *
     * @throws dev.teal.admin.state.CorruptStateException when the state directory holds an unreadable state
     * @throws java.io.UncheckedIOException when a listener cannot be bound
     */
    public static TealNode start(
            TealSettings settings, SettingsSource source, PrometheusMeterRegistry meters, Clock clock) {
        return start(settings, source, meters, clock, SystemdNotifier.none());
    }

    /** As {@link #start(TealSettings, SettingsSource, PrometheusMeterRegistry, Clock)}, telling systemd of reloads. */
    static TealNode start(
            TealSettings settings,
            SettingsSource source,
            PrometheusMeterRegistry meters,
            Clock clock,
            SystemdNotifier systemd) {
        requireNonNull(settings, "settings");
        requireNonNull(source, "source");
        SharedState shared = SharedState.open(settings, meters, clock);
        // DNS names are resolved before the proxy binds, so that it starts with what they found.
        BackendDiscovery discovery = BackendDiscovery.start(settings, meters, clock);
        TealProxy proxy;
        try {
            // Every listener is bound before any serves: a port in use stops the start before a client was
            // answered. A state that never had a rollout never sent a session to the color at 0 %.
            proxy = TealProxy.bind(
                    discovery.settings(),
                    meters,
                    shared.state().current().split(),
                    shared.state().current().rollout().id() != 0);
        } catch (RuntimeException e) {
            discovery.close();
            shared.close();
            throw e;
        }
        discovery.attach(proxy.traffic()::reload);
        TealNode[] self = new TealNode[1];
        try {
            AdminServer.Builder builder = AdminServer.builder(settings.admin(), proxy.traffic(), shared.state(), meters)
                    .reloader(() -> self[0].reload())
                    .phases(settings.rollout(), settings.stateDir())
                    .readiness(() -> discovery.problems(proxy.traffic().split()))
                    .discovery(discovery::names)
                    .clock(clock);
            shared.configure(builder);
            AdminServer admin = builder.start();
            try {
                shared.join(admin.uri());
            } catch (RuntimeException e) {
                admin.close();
                throw e;
            }
            self[0] = new TealNode(settings, source, proxy, admin, shared, systemd, discovery);
            proxy.serve();
            return self[0];
        } catch (RuntimeException e) {
            proxy.shutdown(java.time.Duration.ZERO);
            discovery.close();
            shared.close();
            throw e;
        }
    }

    public TealProxy proxy() {
        return proxy;
    }

    public AdminServer admin() {
        return admin;
    }

    public TealSettings settings() {
        return settings;
    }

    /**
     * Reads the settings again and applies backends, health checks and limits without dropping a
     * connection. Listener, admin and state-directory changes need a restart and are reported, not applied.
     *
     * @return one line saying what was applied
     * @throws ReloadRefusedException with every problem when the settings are invalid; nothing changed
     */
    public String reload() {
        systemd.reloading();
        String outcome = "reload refused";
        try {
            outcome = apply();
            return outcome;
        } finally {
            systemd.reloaded(outcome);
        }
    }

    private String apply() {
        TealSettings next;
        try {
            next = source.read();
        } catch (InvalidSettingsException e) {
            log.warn("reload refused, the running configuration stays: {}", e.problems());
            throw new ReloadRefusedException(e.problems());
        }
        List<String> ignored = new ArrayList<>();
        if (!next.listen().equals(settings.listen())) {
            ignored.add("teal.listen");
        }
        if (!next.admin().equals(settings.admin())) {
            ignored.add("teal.admin");
        }
        if (!next.stateDir().equals(settings.stateDir())) {
            ignored.add("teal.state-dir");
        }
        if (!next.transport().equals(settings.transport())) {
            ignored.add("teal.transport");
        }
        if (!next.rollout().equals(settings.rollout())) {
            ignored.add("teal.rollout");
        }
        if (!next.cluster().equals(settings.cluster())) {
            ignored.add("teal.cluster");
        }
        if (!next.discovery().equals(settings.discovery())) {
            ignored.add("teal.discovery");
        }
        // Certificates are read and checked before anything is applied: a bad file refuses the whole reload.
        CertificateSet certificates = null;
        TlsTermination tls = proxy.tls().orElse(null);
        if (!next.tls().map(TlsSettings::listen).equals(settings.tls().map(TlsSettings::listen))) {
            ignored.add("teal.tls.listen");
        }
        if (tls != null && next.tls().isPresent()) {
            try {
                certificates = tls.prepare(next.tls().get());
            } catch (InvalidCertificateException e) {
                throw new ReloadRefusedException(List.of(e.getMessage()));
            }
        }
        // Through discovery: the data plane gets the listed backends plus what the DNS names found.
        discovery.reload(next);
        if (certificates != null) {
            tls.install(next.tls().get(), certificates);
        }
        TealSettings inForce = discovery.settings();
        String summary = inForce.color(Color.BLUE).backends().size() + " blue and "
                + inForce.color(Color.GREEN).backends().size() + " green backends, limits and time-outs applied"
                + (certificates == null
                        ? ""
                        : ", " + certificates.certificates().size() + " TLS certificate"
                                + (certificates.certificates().size() == 1 ? "" : "s") + " reloaded")
                + (ignored.isEmpty() ? "" : "; " + String.join(", ", ignored) + " changed but need a restart");
        log.info("reloaded: {}", summary);
        return summary;
    }

    /** For SIGHUP: reloads and logs the outcome instead of throwing. */
    void reloadOnSignal() {
        log.info("reload requested by SIGHUP: re-reading the settings");
        try {
            reload();
        } catch (ReloadRefusedException e) {
            // Already logged with its problems.
        } catch (RuntimeException e) {
            log.warn("reload failed: {}", e.toString());
        }
    }

    /** Drains the proxy (bounded by the configured drain time-out), then stops the admin API. */
    @Override
    public void close() {
        admin.shuttingDown("shutting down");
        try {
            discovery.close();
            proxy.shutdown(settings.shutdownDrainTimeout());
        } finally {
            try {
                admin.close();
            } finally {
                shared.close();
            }
        }
    }
}
