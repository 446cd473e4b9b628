package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.Chromium;
import dev.teal.admin.testing.DevTools;
import dev.teal.admin.testing.Poll;
import dev.teal.config.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard in headless Chromium, against a recording data plane. */
class DashboardIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private AdminHarness admin;

    @BeforeEach
    void start() throws IOException {
        admin = AdminHarness.start(Files.createDirectories(dir.resolve("state")));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void renderedPageShowsTheSplitAndBothColorsSessionCounts() {
        admin.post("/ramp?green=25");

        String dom = Chromium.dumpDom(admin.uri("/"), dir, Duration.ofSeconds(3));

        assertThat(dom)
                .containsPattern("id=\"split-blue\">75 %<")
                .containsPattern("id=\"split-green\">25 %<")
                .containsPattern("id=\"sessions-blue\"[^>]*>1,234<")
                .containsPattern("id=\"sessions-green\"[^>]*>567<")
                .containsPattern("id=\"rollout-state\"[^>]*>ramping<")
                .containsPattern("id=\"drain-blue\"[^>]*>serving<")
                .contains("10.0.1.1:8080");
    }

    @Test
    void screenshotOfTheDashboard() throws IOException {
        admin.post("/ramp?green=25");
        Path png = Path.of("target", "dashboard.png");
        Files.createDirectories(png.getParent());

        Chromium.screenshot(admin.uri("/"), dir, png, Duration.ofSeconds(3));

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat(bytes.length).isGreaterThan(20_000);
    }

    @Test
    void pageLoadsWithoutConsoleErrorsAndARampButtonChangesStatus() {
        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("document.getElementById('sessions-green').textContent === '567'", WAIT);

            browser.evaluate("document.querySelector('.ramp-btn[data-green=\"50\"]').click()");

            Poll.until(
                    WAIT,
                    "the ramp to reach the data plane",
                    () -> admin.control().split().green() == 50);
            browser.waitFor("document.getElementById('split-green').textContent === '50 %'", WAIT);
            browser.waitFor("document.getElementById('ramp-result').textContent.startsWith('applied')", WAIT);
            assertThat(AdminHarness.json(admin.get("/status"))
                            .path("split")
                            .path("green")
                            .asInt())
                    .isEqualTo(50);
            assertThat(browser.evaluate("document.getElementById('rollout-state').textContent")
                            .asString())
                    .isEqualTo("ramping");
            assertThat(browser.errors()).isEmpty();
        }
    }

    @Test
    void chartFollowsTheTraffic() {
        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("document.getElementById('chart-sessions').dataset.lastBlue === '1234'", WAIT);
            int before = browser.evaluate("Number(document.getElementById('chart-sessions').dataset.points)")
                    .asInt();

            admin.control().counts(Color.BLUE, 4321, 12);

            browser.waitFor("document.getElementById('chart-sessions').dataset.lastBlue === '4321'", WAIT);
            browser.waitFor("document.getElementById('chart-inflight').dataset.lastBlue === '12'", WAIT);
            browser.waitFor("document.getElementById('sessions-blue').textContent === '4,321'", WAIT);
            int after = browser.evaluate("Number(document.getElementById('chart-sessions').dataset.points)")
                    .asInt();
            assertThat(after).isGreaterThan(before);
            assertThat(browser.evaluate("document.querySelectorAll('#chart-sessions path.line').length")
                            .asInt())
                    .isEqualTo(2);
            assertThat(browser.errors()).isEmpty();
        }
    }

    @Test
    void forcedRampAsksForConfirmationFirst() {
        admin.post("/ramp?green=50");
        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("document.getElementById('split-green').textContent === '50 %'", WAIT);

            browser.evaluate("document.getElementById('force').click()");
            assertThat(browser.evaluate("document.querySelector('.ramp-btn[data-green=\"25\"]').disabled")
                            .asBoolean())
                    .isTrue();
            browser.evaluate("document.querySelector('.ramp-btn[data-green=\"0\"]').click()");
            browser.waitFor("!document.getElementById('confirm').hidden", WAIT);
            browser.evaluate("document.getElementById('confirm-cancel').click()");
            browser.waitFor("document.getElementById('confirm').hidden", WAIT);
            assertThat(admin.control().calls()).containsExactly("setSplit 50");

            browser.evaluate("document.querySelector('.ramp-btn[data-green=\"0\"]').click()");
            browser.waitFor("!document.getElementById('confirm').hidden", WAIT);
            browser.evaluate("document.getElementById('confirm-ok').click()");

            Poll.until(WAIT, "the forced ramp", () -> admin.control().calls().contains("forceMove green"));
            assertThat(admin.control().calls()).containsExactly("setSplit 50", "setSplit 0", "forceMove green");
            assertThat(browser.errors()).isEmpty();
        }
    }

    @Test
    void tokenProtectedDashboardAsksForTheTokenAndThenShowsTheData() {
        admin.close();
        admin = AdminHarness.start(dir.resolve("state"), b -> b.token(java.util.Optional.of("dash-token")));
        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("!document.getElementById('token-bar').hidden", WAIT);
            assertThat(browser.evaluate("document.getElementById('sessions-blue').textContent")
                            .asString())
                    .isEqualTo("–");

            browser.evaluate("document.getElementById('token-input').value = 'dash-token';"
                    + " document.getElementById('token-save').click()");

            browser.waitFor("document.getElementById('sessions-blue').textContent === '1,234'", WAIT);
            assertThat(browser.evaluate("document.getElementById('token-bar').hidden")
                            .asBoolean())
                    .isTrue();
        }
    }

    @Test
    void refusedRampShowsTheApiError() {
        admin.control().closeGate();
        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor(
                    "document.getElementById('sessions-green').textContent === '567'",
                    java.time.Duration.ofSeconds(20));
            Thread ramp = new Thread(() -> admin.post("/ramp?green=5"));
            ramp.start();
            try {
                assertThat(admin.control().awaitHeldAtGate(WAIT)).isTrue();

                browser.evaluate("document.querySelector('.ramp-btn[data-green=\"100\"]').click()");

                browser.waitFor("document.getElementById('ramp-result').textContent.startsWith('409 conflict')", WAIT);
                assertThat(browser.evaluate("document.getElementById('ramp-result').className")
                                .asString())
                        .contains("err");
            } finally {
                admin.control().openGate();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
