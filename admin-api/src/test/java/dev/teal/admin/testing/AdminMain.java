package dev.teal.admin.testing;

import dev.teal.admin.api.AdminServer;
import dev.teal.admin.state.FileStateStore;
import dev.teal.admin.state.LiveState;
import dev.teal.config.AdminSettings;
import dev.teal.config.HostPort;
import dev.teal.proxy.Split;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An admin server over a {@link FakeTrafficControl}, in its own JVM: the child that {@code
 * StateDurabilityIT} kills with {@code kill -9}, and a way to try the dashboard by hand.
 *
 * <pre>
 * java -cp ... dev.teal.admin.testing.AdminMain STATE_DIR PORT_FILE [PORT] [demo SPEED]
 * </pre>
 */
public final class AdminMain {
    private AdminMain() {}

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        Path portFile = Path.of(args[1]);
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        boolean demo = args.length > 3 && args[3].equals("demo");
        Clock clock = demo ? new FastClock(Long.parseLong(args[4])) : Clock.systemUTC();
        FakeTrafficControl control = new FakeTrafficControl(new Split(0), clock);
        LiveState state = LiveState.open(FileStateStore.open(stateDir, clock), new Split(0), clock);
        AdminServer.Builder builder = AdminServer.builder(
                        new AdminSettings(new HostPort("127.0.0.1", port), Optional.empty()),
                        control,
                        state,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .clock(clock);
        if (demo) {
            DemoTraffic traffic = new DemoTraffic(control, clock);
            traffic.run();
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            ticker.scheduleAtFixedRate(traffic, 50, 50, TimeUnit.MILLISECONDS);
            builder.historyInterval(Duration.ofMillis(Math.max(50, 5000 / Long.parseLong(args[4]) * 4)));
        }
        AdminServer server = builder.start();
        writeAtomically(portFile, Integer.toString(server.localAddress().getPort()));
        Thread.currentThread().join();
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
