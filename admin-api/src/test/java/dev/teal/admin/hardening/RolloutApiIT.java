package dev.teal.admin.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.AuditCapture;
import dev.teal.admin.testing.PlanFixture;
import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rows A2–A5 for the release plan's calls ({@code /rollout}, {@code /rollout/*}) and {@code /analysis}: every
 * bad call over a real socket to a whole teal gets its 4xx saying what is wrong, and leaves the split, the
 * rollout, the plan and both state files exactly as they were.
 */
class RolloutApiIT {
    private static final String TOKEN = "plan-admin-token";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private PlanFixture teal;
    private String auth = "";

    @AfterEach
    void stop() {
        if (teal != null) {
            teal.close();
        }
    }

    private void start(String extra) {
        teal = PlanFixture.start(dir, extra);
    }

    /** One request as written (headers HttpClient would not send as is), with this teal's Host. */
    private RawHttp.Response call(String requestLine, String... headers) {
        StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\n");
        boolean host = Arrays.stream(headers).anyMatch(h -> h.regionMatches(true, 0, "Host:", 0, 5));
        if (!host) {
            request.append("Host: 127.0.0.1:")
                    .append(teal.node().admin().localAddress().getPort())
                    .append('\n');
        }
        if (!auth.isEmpty()) {
            request.append(auth).append('\n');
        }
        for (String header : headers) {
            request.append(header).append('\n');
        }
        request.append("Content-Length: 0\nConnection: close\n\n");
        return RawHttp.exchange(teal.node().admin().localAddress(), request.toString());
    }

    /** The split, the rollout and the plan as /status shows them, and both state files' bytes. */
    private String state() {
        RawHttp.Response status = call("GET /status");
        assertThat(status.status()).as("GET /status: %s", status.body()).isEqualTo(200);
        JsonNode body = AdminHarness.json(status.body());
        ObjectNode plan = ((ObjectNode) body.path("plan")).deepCopy();
        // What the plan's ticks say about the moment (the analysis, the live line) is not state.
        plan.remove(List.of("now", "analysis", "gate"));
        return body.path("split") + "\n" + body.path("rollout") + "\n" + plan + "\n" + file("state.json") + "\n"
                + file("plan.json");
    }

    private String file(String name) {
        Path file = dir.resolve("state").resolve(name);
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A refusal: its status and a detail naming what was wrong, and nothing changed. */
    private record Refusal(String requestLine, int status, String detail, List<String> headers) {
        static Refusal of(String requestLine, int status, String detail, String... headers) {
            return new Refusal(requestLine, status, detail, List.of(headers));
        }
    }

    private void refusesAndChangesNothing(List<Refusal> refusals) {
        String before = state();
        SoftAssertions soft = new SoftAssertions();
        for (Refusal refusal : refusals) {
            RawHttp.Response response =
                    call(refusal.requestLine(), refusal.headers().toArray(String[]::new));
            String what = refusal.requestLine() + " " + refusal.headers() + " -> " + response.status() + " "
                    + response.body();
            soft.assertThat(response.status()).as(what).isEqualTo(refusal.status());
            soft.assertThat(response.header("Content-Type")).as(what).startsWith("application/json");
            JsonNode body = AdminHarness.json(response.body());
            soft.assertThat(body.path("detail").asString()).as(what).contains(refusal.detail());
            if (refusal.status() == 405) {
                soft.assertThat(response.header("Allow")).as(what).isNotBlank();
            }
            soft.assertThat(state()).as("state after " + what).isEqualTo(before);
        }
        soft.assertAll();
    }

    private static List<Refusal> badRequests() {
        return List.of(
                Refusal.of(
                        "POST /rollout/restart",
                        404,
                        "no such action: /rollout/restart (expected: POST"
                                + " /rollout/start, /rollout/pause, /rollout/resume, /rollout/abort, /rollout/promote"),
                Refusal.of("GET /rollout/restart", 404, "no such action: /rollout/restart"),
                Refusal.of("POST /rollout/", 404, "no such action: /rollout/ "),
                Refusal.of("POST /rollout/start/now", 404, "no such action: /rollout/start/now"),
                Refusal.of("GET /rollout/start", 405, "GET /rollout/start (expected: POST)"),
                Refusal.of("PUT /rollout/abort", 405, "PUT /rollout/abort (expected: POST)"),
                Refusal.of("POST /rollout", 405, "POST /rollout (expected: GET)"),
                Refusal.of("DELETE /analysis", 405, "DELETE /analysis (expected: GET, POST)"),
                Refusal.of("POST /rollout/pause?why=lunch", 400, "'why': unknown parameter (expected: no parameters)"),
                Refusal.of("POST /rollout/promote?to=100", 400, "'to': unknown parameter (expected: no parameters)"),
                Refusal.of(
                        "POST /rollout/start?force=true", 400, "'force': unknown parameter (expected: next-release)"),
                Refusal.of("POST /rollout/start?next-release=maybe", 400, "next-release: 'maybe' (expected: true or"),
                Refusal.of(
                        "POST /rollout/start?next-release=true&next-release=true",
                        400,
                        "next-release: given 2 times (expected: at most once)"),
                Refusal.of("GET /rollout?verbose=true", 400, "'verbose': unknown parameter (expected: no parameters)"),
                Refusal.of("GET /analysis?gate=yes", 400, "gate: 'yes' (expected: true or false)"),
                Refusal.of("POST /analysis?window=1m", 400, "'window': unknown parameter (expected: gate)"));
    }

    private List<Refusal> crossSite(String... calls) {
        List<Refusal> refusals = new ArrayList<>();
        for (String call : calls) {
            refusals.add(Refusal.of(call, 403, "Origin: 'https://evil.example'", "Origin: https://evil.example"));
            refusals.add(
                    Refusal.of(call, 403, "Referer: 'http://evil.example/page'", "Referer: http://evil.example/page"));
            refusals.add(Refusal.of(call, 403, "Sec-Fetch-Site: 'cross-site'", "Sec-Fetch-Site: cross-site"));
            refusals.add(Refusal.of(
                    call,
                    403,
                    "Sec-Fetch-Mode: 'navigate'",
                    "Sec-Fetch-Mode: navigate",
                    "Sec-Fetch-Site: same-origin"));
            refusals.add(
                    Refusal.of(call, 403, "Host: 'evil.example' is not this admin listener", "Host: evil.example"));
        }
        return refusals;
    }

    @Test
    void aRunningPlanRefusesBadCallsAStartAndAResumeAndStaysAsItWas() {
        start("rollout.plan { steps = [10, 50, 100], hold = 10m, min-sessions = 5 }");
        assertThat(call("POST /rollout/start").status()).isEqualTo(200);
        // The first tick has looked at the step: what it writes is in the state from now on.
        Poll.until(
                WAIT,
                "the plan's first tick",
                () -> teal.plan().path("now").asString().contains("left"));

        List<Refusal> refusals = new ArrayList<>(badRequests());
        refusals.add(Refusal.of(
                "POST /rollout/start", 409, "a plan is running for rollout 1 at step 1 (10 %);" + " abort it first"));
        refusals.add(Refusal.of("POST /rollout/start?next-release=true", 409, "a plan is running"));
        refusals.add(Refusal.of("POST /rollout/resume", 409, "the plan is running (expected: paused)"));
        refusals.addAll(crossSite("POST /rollout/abort", "POST /rollout/pause", "POST /rollout/promote"));
        refusesAndChangesNothing(refusals);

        JsonNode plan = teal.plan();
        assertThat(plan.path("state").asString()).isEqualTo("running");
        assertThat(plan.path("holdLeftSeconds").asLong()).isEqualTo(600);
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(10);
    }

    @Test
    void anIdlePlanRefusesPromoteAbortPauseResumeAndCrossSiteStarts() {
        start("rollout.plan { steps = [10, 100], hold = 10m, min-sessions = 5 }");

        List<Refusal> refusals = new ArrayList<>(badRequests());
        refusals.add(Refusal.of("POST /rollout/promote", 409, "the plan is idle (expected: running)"));
        refusals.add(Refusal.of("POST /rollout/abort", 409, "the plan is idle (expected: running or paused)"));
        refusals.add(Refusal.of("POST /rollout/pause", 409, "the plan is idle (expected: running)"));
        refusals.add(Refusal.of("POST /rollout/resume", 409, "the plan is idle (expected: paused)"));
        refusals.addAll(crossSite("POST /rollout/start", "POST /rollout/start?next-release=true"));
        refusesAndChangesNothing(refusals);

        assertThat(teal.plan().path("state").asString()).isEqualTo("idle");
        assertThat(teal.node().proxy().traffic().split().green()).isZero();
    }

    @Test
    void aPausedPlanRefusesPromoteAndAStartUntilResumedOrAborted() {
        start("rollout.plan { steps = [10, 100], hold = 10m, min-sessions = 5 }");
        call("POST /rollout/start");
        assertThat(call("POST /rollout/pause").status()).isEqualTo(200);

        refusesAndChangesNothing(List.of(
                Refusal.of("POST /rollout/promote", 409, "the plan is paused (expected: running)"),
                Refusal.of("POST /rollout/pause", 409, "the plan is paused (expected: running)"),
                Refusal.of("POST /rollout/start", 409, "a plan is paused for rollout 1 at step 1 (10 %); abort it")));
    }

    @Test
    void withoutAPlanEveryActionIsAConflictSayingSoAndTheRolloutReadsAsNone() {
        start("");

        List<Refusal> refusals = new ArrayList<>();
        for (String action : List.of("start", "pause", "resume", "abort", "promote")) {
            refusals.add(Refusal.of(
                    "POST /rollout/" + action,
                    409,
                    "no release plan: teal.rollout.plan.steps is empty (expected: a plan such as steps = [1, 5, 25, 50,"
                            + " 100])"));
        }
        // Bad parameters are named before the missing plan.
        refusals.add(Refusal.of("POST /rollout/start?next-release=1", 400, "next-release: '1' (expected: true or"));
        refusals.add(Refusal.of("POST /rollout/nope", 404, "no such action: /rollout/nope"));
        refusesAndChangesNothing(refusals);

        RawHttp.Response rollout = call("GET /rollout");
        assertThat(rollout.status()).isEqualTo(200);
        assertThat(AdminHarness.json(rollout.body()).path("configured").asBoolean())
                .isFalse();
        assertThat(AdminHarness.json(rollout.body()).path("detail").asString()).contains("no release plan");
    }

    @Test
    void withATokenEveryPlanCallAndTheAnalysisNeedIt() {
        start("admin.token = \"" + TOKEN + "\"\nrollout.plan { steps = [10, 100], hold = 10m, min-sessions = 5 }");
        auth = "Authorization: Bearer " + TOKEN;
        String before = state();
        List<String> calls = List.of(
                "POST /rollout/start",
                "POST /rollout/pause",
                "POST /rollout/resume",
                "POST /rollout/abort",
                "POST /rollout/promote",
                "GET /rollout",
                "GET /analysis",
                "POST /analysis?gate=true",
                "POST /rollout/nope");

        SoftAssertions soft = new SoftAssertions();
        for (String header : List.of("", "Authorization: Bearer " + TOKEN + "x", "Authorization: Basic Zm9vOmJhcg==")) {
            for (String c : calls) {
                auth = header;
                RawHttp.Response response = call(c);
                auth = "Authorization: Bearer " + TOKEN;
                String what = c + " [" + header + "] -> " + response.body();
                soft.assertThat(response.status()).as(what).isEqualTo(401);
                soft.assertThat(AdminHarness.json(response.body())
                                .path("detail")
                                .asString())
                        .as(what)
                        .startsWith(header.isEmpty() ? "Authorization: (missing)" : "Authorization: wrong token");
                soft.assertThat(response.body()).as(what).doesNotContain(TOKEN);
                soft.assertThat(state()).as("state after " + what).isEqualTo(before);
            }
        }
        soft.assertAll();

        // With the token the same calls work, and from anywhere (no Host check: the token is the proof).
        assertThat(call("POST /rollout/start", "Host: teal.internal:9901").status())
                .isEqualTo(200);
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(10);
    }

    @Test
    void postAnalysisIsARead_itChangesNothingIsNotAuditedAndOtherSitesMayAsk() {
        start("rollout.plan { steps = [10, 100], hold = 10m, min-sessions = 5 }");
        call("POST /rollout/start");
        Poll.until(
                WAIT,
                "the plan's first tick",
                () -> teal.plan().path("now").asString().contains("left"));
        String before = state();

        try (AuditCapture audit = new AuditCapture()) {
            // A Flagger webhook's POST, and the same from a page elsewhere: a verdict, never a change.
            RawHttp.Response flagger = call("POST /analysis?gate=true", "Content-Type: application/json");
            RawHttp.Response page =
                    call("POST /analysis", "Origin: https://evil.example", "Sec-Fetch-Site: cross-site");
            RawHttp.Response get = call("GET /analysis", "Referer: http://evil.example/");

            assertThat(flagger.status()).as(flagger.body()).isEqualTo(409);
            assertThat(AdminHarness.json(flagger.body()).path("error").asString())
                    .isEqualTo("analysis not-judged");
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(AdminHarness.json(page.body()).path("result").asString()).isEqualTo("not-judged");
            assertThat(get.status()).isEqualTo(200);
            assertThat(audit.lines()).isEmpty();
        }
        assertThat(state()).isEqualTo(before);
    }
}
