package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.DevTools;
import dev.teal.admin.testing.Plan;
import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a first run of the dashboard showed wrong, in headless Chromium: each as it should be now. */
class DashboardFirstRunIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private AdminHarness admin;

    @BeforeEach
    void start() throws IOException {
        Path state = Files.createDirectories(dir.resolve("state"));
        Plan plan = Plan.of()
                .shell("expand", "before-new", "echo 'applied V1 add full name'")
                .shell("backfill", "after 100", "echo 'filled 1000 rows'")
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
    void theLineUnderTheRampButtonsSaysHowABackgroundPhaseEndedOnceItEnded() {
        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("document.querySelectorAll('#phases .phase').length === 3", WAIT);

            browser.evaluate("document.querySelector('.ramp-btn[data-green=\"100\"]').click()");

            browser.waitFor(
                    "document.querySelector('#phases .phase[data-name=\"backfill\"]').className"
                            + " === 'phase state-succeeded'",
                    WAIT);
            browser.waitFor(
                    "/phase backfill \\(after 100, command\\): succeeded in \\d/"
                            + ".test(document.getElementById('ramp-result').textContent)",
                    WAIT);
            assertThat(browser.evaluate("document.getElementById('ramp-result').textContent")
                            .asString())
                    .startsWith("applied · split: green 0 -> 100 %")
                    .doesNotContain("backfill (after 100, command): started");
            assertThat(browser.evaluate("document.getElementById('ramp-result').className")
                            .asString())
                    .isEqualTo("ramp-result ok");
            assertThat(browser.errors()).isEmpty();
        }
    }

    @Test
    void rampLabelsOfTwoRampsSecondsApartDoNotOverlap() {
        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("document.querySelectorAll('#phases .phase').length === 3", WAIT);

            browser.evaluate("document.querySelector('.ramp-btn[data-green=\"25\"]').click()");
            browser.waitFor(labelsInclude("green 25 %"), WAIT);
            browser.evaluate("document.querySelector('.ramp-btn[data-green=\"100\"]').click()");
            browser.waitFor(labelsInclude("green 100 %"), WAIT);

            String boxes = browser.evaluate("""
                            (() => {
                              const boxes = Array.from(document.querySelectorAll('#chart-sessions .ramp-mark text'))
                                .map(t => t.getBoundingClientRect());
                              const overlaps = [];
                              for (let i = 0; i < boxes.length; i++)
                                for (let j = i + 1; j < boxes.length; j++) {
                                  const a = boxes[i], b = boxes[j];
                                  if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
                                    overlaps.push(i + '/' + j);
                                }
                              return boxes.length + ' labels, overlapping: [' + overlaps.join(',') + ']';
                            })()
                            """).asString();
            assertThat(boxes).isEqualTo("2 labels, overlapping: []");
        }
    }

    @Test
    void atThe390PixelsOfAPhoneTheRampButtonsShareOneRowAndPhaseTimesAreWhole() {
        admin.post("/ramp?green=100");
        try (DevTools browser = DevTools.launch(dir)) {
            browser.call(
                    "Emulation.setDeviceMetricsOverride",
                    Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
            browser.navigate(admin.uri("/"));
            browser.waitFor(
                    "Array.from(document.querySelectorAll('#phases .phase-when')).filter(w => w.textContent).length"
                            + " === 2",
                    WAIT);

            assertThat(browser.evaluate("window.innerWidth").asInt()).isEqualTo(390);
            assertThat(browser.evaluate("new Set(Array.from(document.querySelectorAll('.ramp-btn'))"
                                    + ".map(b => Math.round(b.getBoundingClientRect().top))).size")
                            .asInt())
                    .as("rows of ramp buttons")
                    .isEqualTo(1);
            assertThat(browser.evaluate("Array.from(document.querySelectorAll('#phases .phase-when, #phases"
                                    + " .phase-what, #phases .phase-name'))"
                                    + ".filter(n => n.scrollWidth > n.clientWidth + 1).map(n => n.textContent)")
                            .toString())
                    .as("phase texts cut off")
                    .isEqualTo("[]");
            assertThat(browser.evaluate("document.documentElement.scrollWidth").asInt())
                    .as("page width")
                    .isLessThanOrEqualTo(390);
        }
    }

    private static String labelsInclude(String label) {
        return "Array.from(document.querySelectorAll('#chart-sessions .ramp-mark text')).some(t => t.textContent === '"
                + label + "')";
    }
}
