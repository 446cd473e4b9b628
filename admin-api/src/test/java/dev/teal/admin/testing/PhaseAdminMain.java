package dev.teal.admin.testing;

import dev.teal.admin.api.AdminServer;
import dev.teal.admin.state.FileStateStore;
import dev.teal.admin.state.LiveState;
import dev.teal.config.AdminSettings;
import dev.teal.config.HostPort;
import dev.teal.proxy.Split;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;

/**
 * An admin server whose plan is one gating command phase, {@code expand}, running {@code /bin/sh -c
 * SCRIPT}, in its own JVM: the child that {@code PhaseCrashIT} kills with {@code kill -9} while the
 * phase runs.
 *
 * <pre>
 * java -cp ... dev.teal.admin.testing.PhaseAdminMain STATE_DIR PORT_FILE SCRIPT
 * </pre>
 */
public final class PhaseAdminMain {
    private PhaseAdminMain() {}

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        Path portFile = Path.of(args[1]);
        Clock clock = Clock.systemUTC();
        LiveState state = LiveState.open(FileStateStore.open(stateDir, clock), new Split(0), clock);
        AdminServer server = AdminServer.builder(
                        new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()),
                        new FakeTrafficControl(),
                        state,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .phases(plan(args[2]).settings(), stateDir)
                .start();
        Path temp = Files.writeString(
                portFile.resolveSibling(portFile.getFileName() + ".tmp"),
                Integer.toString(server.localAddress().getPort()));
        Files.move(temp, portFile, StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }

    /** The plan of the child, and of the admin server that takes over its state directory. */
    public static Plan plan(String script) {
        return Plan.of().shell("expand", "before-new", script);
    }
}
