package dev.teal.admin.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.SessionLoad;
import dev.teal.admin.testing.TealUnderTest;
import dev.teal.proxy.testing.StubBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalogue row D1, and the load with faults: constant load from session-keeping users through
 * {@code teal run} while it ramps 0 → 100 → 0 in steps, reloads its configuration by {@code POST /reload}
 * and by {@code SIGHUP}, and loses and regains a backend instance of each color (the other instance of the
 * color stays up). Not one request may fail, and no session may change color (nothing is forced).
 *
 * <p>About 24 seconds in the build; {@code benchmarks/load/faults.sh} runs it longer with {@code
 * -Dteal.faults.seconds=N}. The figures are printed and appended to {@code target/load-with-faults.txt}.
 */
class LoadWithFaultsIT {
    private static final int SECONDS = Integer.getInteger("teal.faults.seconds", 24);

    @TempDir
    Path dir;

    @Test
    @DisplayName("D1 ramp steps, /reload, SIGHUP and a lost backend under constant load: zero failed requests")
    void d1_servesEveryRequestAndKeepsEverySessionOnItsColorThroughRampsReloadsAndALostBackend() throws Exception {
        String passiveHealth =
                "upstream.passive-health { consecutive-failures = 1, base-ejection = 1s, max-ejection = 2s }";
        try (TealUnderTest teal = TealUnderTest.start(dir, 2, passiveHealth, List.of("-Xmx256m"))) {
            Timeline timeline = new Timeline(Duration.ofSeconds(SECONDS));
            SessionLoad load = SessionLoad.start(teal.proxy(), 6, 40);
            SessionLoad.Summary summary;
            try {
                int[] steps = {25, 50, 75, 100, 75, 50, 25, 0};
                int port2 = teal.blue.get(1).address().getPort();
                int greenPort2 = teal.green.get(1).address().getPort();
                for (int i = 0; i < steps.length; i++) {
                    timeline.at((i + 1.0) / (steps.length + 2));
                    assertThat(teal.admin("POST", "/ramp?green=" + steps[i]).statusCode())
                            .as("ramp to green %d", steps[i])
                            .isEqualTo(200);
                    switch (i) {
                        case 0 ->
                            assertThat(teal.admin("POST", "/reload").statusCode())
                                    .isEqualTo(200);
                        case 1 -> teal.blue.get(1).close();
                        case 2 -> {
                            teal.reconfigure(passiveHealth + "\nlimits.max-requests-per-connection = 5000");
                            teal.process().signal("HUP");
                        }
                        case 3 -> teal.blue.set(1, StubBackend.start("blue-2", port2));
                        case 4 -> teal.green.get(1).close();
                        case 5 ->
                            assertThat(teal.admin("POST", "/reload").statusCode())
                                    .isEqualTo(200);
                        case 6 -> teal.green.set(1, StubBackend.start("green-2", greenPort2));
                        default -> teal.process().signal("HUP");
                    }
                }
                timeline.at(1.0);
            } finally {
                summary = load.stop();
            }
            report(summary);
            assertThat(summary.failures())
                    .as(
                            "failed requests: %s; teal said:%n%s",
                            summary, teal.process().stderr())
                    .isZero();
            assertThat(summary.sessionsThatChangedColor())
                    .as("sessions that changed color")
                    .isZero();
            assertThat(summary.requests()).as("requests served").isGreaterThan(1000);
            assertThat(summary.blue()).isPositive();
            assertThat(summary.green()).isPositive();
            assertThat(teal.blue.get(1).requests())
                    .as("the restarted blue instance serves again")
                    .isNotEmpty();

            teal.process().signal("TERM");
            assertThat(teal.process().exitCode()).isZero();
            assertThat(teal.process().stderr()).doesNotContain("LEAK:").contains("reloaded");
        }
    }

    private static void report(SessionLoad.Summary summary) throws IOException {
        String line = Instant.now() + " load with faults, " + SECONDS + " s: " + summary + System.lineSeparator();
        System.out.print(line);
        Files.writeString(
                Path.of("target", "load-with-faults.txt"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The faults' schedule: points in time, as fractions of the run, that the test reaches in order. */
    private static final class Timeline {
        private final long start = System.nanoTime();
        private final long length;

        Timeline(Duration length) {
            this.length = length.toNanos();
        }

        /** Returns once {@code fraction} of the run has passed: the schedule is the test's input, not a wait. */
        void at(double fraction) {
            long until = start + (long) (fraction * length);
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
