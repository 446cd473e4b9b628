package dev.teal.admin;

import dev.teal.config.TealSettings;
import dev.teal.proxy.TealProxy;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        CountDownLatch stopRequested = new CountDownLatch(1);
        try (SignalHandlers signals = SignalHandlers.install(stopRequested::countDown, RunCommand::reload);
                ProcessMeters meters = ProcessMeters.open()) {
            TealProxy proxy;
            try {
                proxy = TealProxy.start(settings, meters.registry());
            } catch (UncheckedIOException e) {
                spec.commandLine().getErr().println("teal: cannot listen on " + settings.listen() + ": " + reason(e));
                return ExitCodes.FAILURE;
            }
            // The proxy logs what it serves; this line tells the operator how to stop and reload it.
            log.info(
                    "teal running on {}: SIGTERM or Ctrl-C drains and stops, SIGHUP reloads",
                    SocketAddresses.format(proxy.localAddress()));
            try {
                stopRequested.await();
            } finally {
                log.info(
                        "stopping: draining in-flight requests for at most {}",
                        humanReadable(settings.shutdownDrainTimeout()));
                proxy.shutdown(settings.shutdownDrainTimeout());
            }
            log.info("stopped");
        }
        return ExitCodes.OK;
    }

    private static void reload() {
        // The admin API issue wires this to re-reading the configuration file.
        log.info("reload requested");
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
