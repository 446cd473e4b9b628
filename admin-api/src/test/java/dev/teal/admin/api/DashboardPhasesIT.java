package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.Chromium;
import dev.teal.admin.testing.DevTools;
import dev.teal.admin.testing.Plan;
import dev.teal.admin.testing.Poll;
import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's phases timeline in headless Chromium: state per phase, times, output on click, re-run. */
class DashboardPhasesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private AdminHarness admin;

    @BeforeEach
    void start() throws IOException {
        Path state = Files.createDirectories(dir.resolve("state"));
        Plan plan = Plan.of()
                .shell("expand", "before-new", "echo 'applied V1 add full name'")
                .shell(
                        "backfill",
                        "after 100",
                        "echo 'filled 1000 rows'; [ -f " + dir.resolve("fixed") + " ] || { echo 'row 1017: bad date';"
                                + " exit 1; }")
                .shell("contract", "old-drained", "echo contracted");
        admin = AdminHarness.start(state, b -> b.phases(plan.settings(), state));
        // Blue keeps its sessions: the contract stays pending.
        admin.control().drain(Color.BLUE, DrainState.DRAINING, Optional.empty());
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void timelineShowsEachPhasesStateAndTheOutputOfTheOneClicked() throws IOException {
        admin.post("/ramp?green=100");
        Poll.until(
                WAIT, "the backfill to fail", () -> admin.get("/phases").body().contains("\"state\":\"failed\""));

        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("document.querySelectorAll('#phases .phase').length === 3", WAIT);

            assertThat(browser.evaluate("Array.from(document.querySelectorAll('#phases .phase'))"
                                    + ".map(li => li.className + ':' + li.querySelector('.phase-state').textContent)"
                                    + ".join(',')")
                            .asString())
                    .isEqualTo("phase state-succeeded:succeeded,phase state-failed:failed,phase state-pending:pending");
            assertThat(browser.evaluate("document.querySelector('#phases .phase .phase-when').textContent")
                            .asString())
                    .matches("\\d\\d:\\d\\d:\\d\\d · \\d+ ms");
            assertThat(browser.evaluate("document.getElementById('phase-detail').hidden")
                            .asBoolean())
                    .isTrue();

            browser.evaluate("document.querySelector('#phases .phase[data-name=\"backfill\"]').click()");

            browser.waitFor("!document.getElementById('phase-detail').hidden", WAIT);
            assertThat(browser.evaluate("document.getElementById('phase-detail-output').textContent")
                            .asString())
                    .isEqualTo("filled 1000 rows\nrow 1017: bad date\n");
            assertThat(browser.evaluate("document.getElementById('phase-detail-line').textContent")
                            .asString())
                    .contains("exit 1");
            assertThat(browser.evaluate("document.getElementById('phase-rerun').hidden")
                            .asBoolean())
                    .isFalse();

            Files.writeString(dir.resolve("fixed"), "");
            browser.evaluate("document.getElementById('phase-rerun').click()");

            browser.waitFor(
                    "document.querySelector('#phases .phase[data-name=\"backfill\"]').className"
                            + " === 'phase state-succeeded selected'",
                    WAIT);
            browser.waitFor("document.getElementById('phase-rerun').hidden", WAIT);
            assertThat(browser.errors()).isEmpty();
        }
    }

    @Test
    void aRampRefusedByAPhaseOpensItsOutput() throws IOException {
        Path state = dir.resolve("state2");
        admin.close();
        Plan failing =
                Plan.of().shell("expand", "before-new", "echo 'ERROR: relation customer does not exist'; exit 3");
        admin = AdminHarness.start(Files.createDirectories(state), b -> b.phases(failing.settings(), state));

        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("document.querySelectorAll('#phases .phase').length === 1", WAIT);

            browser.evaluate("document.querySelector('.ramp-btn[data-green=\"25\"]').click()");

            browser.waitFor("document.getElementById('ramp-result').textContent.startsWith('409 phase failed')", WAIT);
            browser.waitFor("!document.getElementById('phase-detail').hidden", WAIT);
            assertThat(browser.evaluate("document.getElementById('phase-detail-output').textContent")
                            .asString())
                    .isEqualTo("ERROR: relation customer does not exist\n");
            assertThat(admin.control().calls()).isEmpty();
            // The browser reports the 409 itself; nothing else went wrong.
            assertThat(browser.errors()).allMatch(error -> error.contains("status of 409 (Conflict)"));
        }
    }

    @Test
    void screenshotOfTheTimeline() throws IOException {
        admin.post("/ramp?green=100");
        Poll.until(
                WAIT, "the backfill to fail", () -> admin.get("/phases").body().contains("\"state\":\"failed\""));
        Path png = Path.of("target", "dashboard-phases.png");
        Files.createDirectories(png.getParent());

        Chromium.screenshot(admin.uri("/"), dir, png, Duration.ofSeconds(3));

        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    }
}
