package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.DevTools;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code GET /events}: the status pushed as server-sent events, and the dashboard following them. */
class StatusEventsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** What the issue asks of a change: on the page within a second. */
    private static final Duration WITHIN = Duration.ofSeconds(1);

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
    void streamsTheStatusAtOnceAndEachChangeWithinASecond() throws Exception {
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(admin.uri("/events")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        Thread reader = new Thread(() -> {
            Iterator<String> lines = response.body().iterator();
            String event = "";
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && event.equals("status")) {
                    data.add(line.substring(6));
                }
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode first = AdminHarness.json(data.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(first.path("split").path("green").asInt()).isZero();

            admin.post("/ramp?green=25");
            long ramped = System.nanoTime();
            JsonNode next = AdminHarness.json(data.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            long tookMillis = (System.nanoTime() - ramped) / 1_000_000;

            assertThat(next.path("split").path("green").asInt()).isEqualTo(25);
            assertThat(next.path("rollout").path("state").asString()).isEqualTo("ramping");
            assertThat(tookMillis).as("ms from the ramp to its event").isLessThan(WITHIN.toMillis());
            // Nothing else changed: no event until the next change.
            assertThat(data.poll(600, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            response.body().close();
        }
    }

    @Test
    void refusesParametersAndNeedsTheTokenLikeStatus() {
        assertThat(admin.get("/events?x=1").statusCode()).isEqualTo(400);
        assertThat(admin.send("POST", "/events").statusCode()).isEqualTo(405);
    }

    @Test
    void theDashboardFollowsTheStreamAndShowsARampWithinASecond() {
        try (DevTools browser = DevTools.launch(dir)) {
            browser.navigate(admin.uri("/"));
            browser.waitFor("document.getElementById('conn-text').textContent.startsWith('live · pushed')", WAIT);

            admin.post("/ramp?green=50");

            browser.waitFor("document.getElementById('split-green').textContent === '50 %'", WITHIN);
            browser.waitFor("document.getElementById('rollout-state').textContent === 'ramping'", WITHIN);
            assertThat(browser.errors()).isEmpty();
        }
    }

    @Test
    void theDashboardFallsBackToPollingWhenTheStreamIsUnavailable() {
        try (DevTools browser = DevTools.launch(dir)) {
            // A network (or a proxy in between) that breaks the stream: fetch('/events') fails.
            browser.call(
                    "Page.addScriptToEvaluateOnNewDocument",
                    Map.of(
                            "source",
                            "const realFetch = window.fetch; window.fetch = (url, opts) => String(url)"
                                    + ".endsWith('/events') ? Promise.reject(new TypeError('blocked')) :"
                                    + " realFetch(url, opts);"));
            browser.navigate(admin.uri("/"));
            browser.waitFor("/^live · \\d/.test(document.getElementById('conn-text').textContent)", WAIT);

            admin.post("/ramp?green=5");

            // Polled once a second: within two.
            browser.waitFor("document.getElementById('split-green').textContent === '5 %'", Duration.ofSeconds(2));
            assertThat(browser.errors()).isEmpty();
        }
    }
}
