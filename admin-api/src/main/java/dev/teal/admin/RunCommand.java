package dev.teal.admin;

import dev.teal.admin.state.CorruptStateException;
import dev.teal.admin.state.StateWriteException;
import dev.teal.config.SettingsLoader;
import dev.teal.config.TealSettings;
import dev.teal.proxy.DescriptorBudget;
import dev.teal.proxy.tls.InvalidCertificateException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code teal run -c teal.conf}: loads the settings, starts the proxy and serves until {@code TERM} or
 * {@code INT}, then drains (bounded by {@code shutdown.drain-timeout}) and exits 0.
 */
@Command(
        name = "run",
        description = {
            "Run the proxy until SIGTERM or Ctrl-C, then drain in-flight requests and exit 0.",
            "SIGHUP asks for a reload. Invalid settings: every problem on stderr, exit code 2."
        })
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    private SettingsFile settingsFile;

    @Spec
    private CommandSpec spec;

    @Override
    @SuppressWarnings("try") // the signal handlers are held for the try block, never referenced in it
    public Integer call() throws InterruptedException {
        Optional<TealSettings> loaded = settingsFile.load(spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.INVALID;
        }
        TealSettings settings = loaded.get();
        settings.warnings().forEach(warning -> log.warn("{}", warning));
        CountDownLatch stopRequested = new CountDownLatch(1);
        AtomicReference<TealNode> running = new AtomicReference<>();
        Runnable reload = () -> {
            TealNode node = running.get();
            if (node != null) {
                node.reloadOnSignal();
            }
        };
        try (SignalHandlers signals = SignalHandlers.install(stopRequested::countDown, reload);
                ProcessMeters meters = ProcessMeters.open();
                SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv())) {
            TealNode node;
            try {
                node = TealNode.start(
                        settings,
                        () -> SettingsLoader.load(Optional.of(settingsFile.file()), System.getenv()),
                        meters.registry(),
                        Clock.systemUTC(),
                        systemd);
            } catch (UncheckedIOException e) {
                spec.commandLine().getErr().println("teal: " + reason(e));
                return ExitCodes.FAILURE;
            } catch (InvalidCertificateException e) {
                // A certificate or key file named by teal.tls that cannot serve: the file says what to fix.
                spec.commandLine().getErr().println("teal: " + e.getMessage());
                return ExitCodes.INVALID;
            } catch (DescriptorBudget.TooFewDescriptorsException e) {
                // The settings cannot work on this machine as it is limited: fix one or the other.
                spec.commandLine().getErr().println("teal: " + e.getMessage());
                return ExitCodes.INVALID;
            } catch (CorruptStateException | StateWriteException | IllegalStateException e) {
                // IllegalStateException: the cluster's ensemble is unreachable, or the instance id is taken.
                spec.commandLine().getErr().println("teal: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            running.set(node);
            // Every listener is bound and serving and the state is loaded: systemd may report "active".
            systemd.ready(node.proxy().traffic()::snapshot, node.proxy().eventLoops(), System.getenv());
            // The proxy and the admin API log what they serve; this line says how to stop and reload.
            log.info(
                    "teal running on {}: SIGTERM or Ctrl-C drains and stops, SIGHUP reloads; admin API and dashboard on {}",
                    SocketAddresses.format(node.proxy().localAddress()),
                    node.admin().uri());
            try {
                stopRequested.await();
                systemd.stopping(settings.shutdownDrainTimeout());
            } finally {
                log.info(
                        "stopping: draining in-flight requests for at most {}",
                        humanReadable(settings.shutdownDrainTimeout()));
                node.close();
            }
            log.info("stopped");
        }
        return ExitCodes.OK;
    }

    /** {@code 30s}, {@code 1m30s}, {@code 0.5s}: the way the configuration file writes durations. */
    private static String humanReadable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String reason(UncheckedIOException e) {
        return e.getCause() != null && e.getCause().getMessage() != null
                ? e.getCause().getMessage()
                : e.getMessage();
    }
}
