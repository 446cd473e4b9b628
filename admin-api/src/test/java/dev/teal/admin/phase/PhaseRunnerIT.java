package dev.teal.admin.phase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.admin.testing.Plan;
import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.PrometheusTextParser;
import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The phase runner behind the real admin API (over a data plane the test drives), with command phases
 * as stand-ins for any kind: what each trigger runs when, what a failure refuses, what runs by hand.
 */
class PhaseRunnerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private AdminHarness admin;
    private final FakeTrafficControl control = new FakeTrafficControl();

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    private void start(Plan plan) {
        admin = AdminHarness.start(dir.resolve("state"), control, b -> b.phases(plan.settings(), dir.resolve("state")));
    }

    /** A script line that appends "NAME green=SPLIT" to the runs file: who ran, and where the split stood. */
    private String record(String name) {
        return "echo \"" + name + " rollout=$TEAL_ROLLOUT $TEAL_OLD->$TEAL_NEW green=$TEAL_SPLIT\" >> "
                + dir.resolve("runs");
    }

    private List<String> runs() {
        try {
            return Files.exists(dir.resolve("runs")) ? Files.readAllLines(dir.resolve("runs")) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script line that waits until the test creates {@code file}. */
    private String waitFor(String file) {
        return "while [ ! -f " + dir.resolve(file) + " ]; do sleep 0.02; done";
    }

    private void create(String file) throws IOException {
        Files.writeString(dir.resolve(file), "");
    }

    private JsonNode phase(String name) {
        for (JsonNode phase : AdminHarness.json(admin.get("/phases")).path("phases")) {
            if (phase.path("name").asString().equals(name)) {
                return phase;
            }
        }
        throw new AssertionError("no phase " + name + " in /phases");
    }

    private String state(String name) {
        return phase(name).path("state").asString();
    }

    private void awaitState(String name, String state) {
        Poll.until(WAIT, "phase " + name + " " + state, () -> state(name).equals(state));
    }

    @Test
    void expandRunsBeforeTheFirstSessionGoesToNewAndNeverAgainInTheRollout() {
        start(Plan.of().shell("expand", "before-new", record("expand")));

        HttpResponse<String> first = admin.post("/ramp?green=5");
        HttpResponse<String> second = admin.post("/ramp?green=25");

        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode ran = AdminHarness.json(first).path("phases").get(0);
        assertThat(ran.path("name").asString()).isEqualTo("expand");
        assertThat(ran.path("status").asString()).isEqualTo("succeeded");
        assertThat(AdminHarness.json(first).path("changes").toString())
                .contains("phase expand (before-new, command): succeeded: exit 0");
        // It ran while green still had 0 %: the split moved only after it.
        assertThat(runs()).containsExactly("expand rollout=1 blue->green green=0");
        assertThat(control.calls()).containsExactly("setSplit 5", "setSplit 25");
        assertThat(AdminHarness.json(second).path("phases")).isEmpty();
        JsonNode status = AdminHarness.json(admin.get("/status")).path("phases").get(0);
        assertThat(status.path("state").asString()).isEqualTo("succeeded");
        assertThat(status.path("rollout").asLong()).isEqualTo(1);
        assertThat(status.path("output").asString()).isEmpty();
    }

    @Test
    void aFailingExpandRefusesTheStepWithItsOutputAndTheNextAttemptRunsItAgain() throws IOException {
        start(Plan.of()
                .shell(
                        "expand",
                        "before-new",
                        record("expand")
                                + "; if [ ! -f " + dir.resolve("fixed")
                                + " ]; then echo 'relation customer: no such table' >&2;"
                                + " exit 3; fi"));

        HttpResponse<String> refused = admin.post("/ramp?green=5");

        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode body = AdminHarness.json(refused);
        assertThat(body.path("error").asString()).isEqualTo("phase failed");
        assertThat(body.path("detail").asString())
                .isEqualTo("phase expand (before-new) failed: exit 3; the split stays at green 0 %");
        assertThat(body.path("phase").path("name").asString()).isEqualTo("expand");
        assertThat(body.path("phase").path("status").asString()).isEqualTo("failed");
        assertThat(body.path("phase").path("output").asString()).isEqualTo("relation customer: no such table\n");
        assertThat(control.calls()).isEmpty();
        JsonNode status = AdminHarness.json(admin.get("/status"));
        assertThat(status.path("split").path("green").asInt()).isZero();
        assertThat(status.path("rollout").path("state").asString()).isEqualTo("settled");
        // The failed attempt belongs to rollout 1, which the refused step would have started.
        assertThat(status.path("phases").get(0).path("state").asString()).isEqualTo("failed");
        assertThat(status.path("phases").get(0).path("rollout").asLong()).isEqualTo(1);

        create("fixed");
        HttpResponse<String> retried = admin.post("/ramp?green=5");

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(runs()).hasSize(2);
        assertThat(control.calls()).containsExactly("setSplit 5");
        double failed = metric("teal_phase_runs_total", "expand", "failed");
        double succeeded = metric("teal_phase_runs_total", "expand", "succeeded");
        assertThat(failed).isEqualTo(1.0);
        assertThat(succeeded).isEqualTo(1.0);
    }

    @Test
    void aFailingSqlExpandKeepsTheSplitAndAnswersWithTheScriptsError() {
        String url = "jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Path expand = dir.resolve("db/expand");
        dev.teal.admin.testing.Sql.script(
                expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(101);");
        start(Plan.of().datasource(url, "sa", "").sql("expand", "before-new", expand));

        HttpResponse<String> refused = admin.post("/ramp?green=5");

        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode body = AdminHarness.json(refused);
        assertThat(body.path("detail").asString())
                .startsWith("phase expand (before-new) failed: V1__add_full_name.sql: Table \"CUSTOMER\" not found")
                .endsWith("; the split stays at green 0 %");
        assertThat(body.path("phase").path("output").asString()).contains("V1__add_full_name.sql");
        assertThat(control.calls()).isEmpty();
        assertThat(AdminHarness.json(admin.get("/status"))
                        .path("split")
                        .path("green")
                        .asInt())
                .isZero();
    }

    @Test
    void aGatingPhasePastItsTimeoutRefusesTheStep() {
        start(Plan.of().timeout(Duration.ofMillis(300)).shell("warm", "before 50", "echo warming; sleep 30"));

        HttpResponse<String> refused = admin.post("/ramp?green=50");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(refused).path("detail").asString())
                .isEqualTo("phase warm (before 50) timed out: still running after 0.3s; its process tree was killed;"
                        + " the split stays at green 0 %");
        assertThat(AdminHarness.json(refused).path("phase").path("status").asString())
                .isEqualTo("timed-out");
        assertThat(AdminHarness.json(refused).path("phase").path("output").asString())
                .isEqualTo("warming\n");
        assertThat(control.calls()).isEmpty();
        assertThat(metric("teal_phase_runs_total", "warm", "timed-out")).isEqualTo(1.0);
    }

    @Test
    void anAfterPhaseRunsInTheBackgroundAndItsFailureBlocksTheNextStepUntilReRun() throws IOException {
        start(Plan.of()
                .shell(
                        "backfill",
                        "after 50",
                        waitFor("go") + "; " + record("backfill") + "; [ -f " + dir.resolve("fixed")
                                + " ] || { echo 'row 17: bad date'; exit 1; }"));

        HttpResponse<String> ramp = admin.post("/ramp?green=50");

        assertThat(ramp.statusCode()).isEqualTo(200);
        assertThat(AdminHarness.json(ramp).path("phases").get(0).path("status").asString())
                .isEqualTo("started");
        assertThat(control.calls()).containsExactly("setSplit 50");
        assertThat(state("backfill")).isIn("queued", "running");
        assertThat(AdminHarness.json(admin.post("/ramp?green=75"))
                        .path("detail")
                        .asString())
                .isEqualTo("phase backfill (after 50) is running; wait for it to end (GET /phases)");

        create("go");
        awaitState("backfill", "failed");

        HttpResponse<String> blocked = admin.post("/ramp?green=75");
        assertThat(blocked.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(blocked).path("detail").asString())
                .isEqualTo("phase backfill (after 50) failed: exit 1. Re-run it with POST /phases/backfill/run, or"
                        + " ramp back");
        assertThat(phase("backfill").path("output").asString()).isEqualTo("row 17: bad date\n");
        assertThat(admin.post("/ramp?green=25").statusCode()).isEqualTo(200);

        create("fixed");
        HttpResponse<String> rerun = admin.post("/phases/backfill/run");

        assertThat(rerun.statusCode()).isEqualTo(202);
        assertThat(AdminHarness.json(rerun).path("started").toString()).isEqualTo("[\"backfill\"]");
        awaitState("backfill", "succeeded");
        assertThat(admin.post("/ramp?green=75").statusCode()).isEqualTo(200);
        assertThat(runs())
                .containsExactly("backfill rollout=1 blue->green green=50", "backfill rollout=1 blue->green green=25");
    }

    @Test
    void theContractRunsOnlyOnceOldHasDrainedAndThenOldMayNotTakeTrafficAgain() {
        start(Plan.of()
                .shell("expand", "before-new", record("expand"))
                .shell("contract", "old-drained", record("contract")));
        control.drain(Color.BLUE, DrainState.DRAINING, Optional.empty());
        assertThat(admin.post("/ramp?green=100").statusCode()).isEqualTo(200);

        // Blue still drains: the drain watcher ticks every 50 ms and must leave the contract alone.
        Poll.holds(Duration.ofMillis(300), "the contract to wait for blue", () -> state("contract")
                .equals("pending"));
        assertThat(admin.post("/ramp?green=50").statusCode()).isEqualTo(200);
        assertThat(admin.post("/ramp?green=100").statusCode()).isEqualTo(200);

        control.drain(Color.BLUE, DrainState.DRAINED, Optional.empty());
        Poll.until(WAIT, "the rollout to be contracted", () -> AdminHarness.json(admin.get("/status"))
                .path("rollout")
                .path("state")
                .asString()
                .equals("contracted"));

        assertThat(state("contract")).isEqualTo("succeeded");
        assertThat(runs())
                .containsExactly("expand rollout=1 blue->green green=0", "contract rollout=1 blue->green green=100");
        HttpResponse<String> back = admin.post("/ramp?green=0");
        assertThat(back.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(back).path("detail").asString())
                .isEqualTo("the old version cannot run on the contracted schema: rollout 1 contracted it once blue"
                        + " drained. If blue now runs the next release, ramp with next-release=true to start"
                        + " rollout 2");
        assertThat(admin.post("/ramp?blue=5&dry-run=true").statusCode()).isEqualTo(409);

        HttpResponse<String> next = admin.post("/ramp?blue=5&next-release=true");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(AdminHarness.json(next).path("rollout").path("id").asLong()).isEqualTo(2);
        assertThat(runs()).last().isEqualTo("expand rollout=2 green->blue green=100");
    }

    @Test
    void aFailedContractHoldsTheRolloutUntilItIsReRunByHand() throws IOException {
        start(Plan.of().shell("contract", "old-drained", "[ -f " + dir.resolve("fixed") + " ] || exit 4"));
        control.drain(Color.BLUE, DrainState.DRAINED, Optional.empty());
        assertThat(admin.post("/ramp?green=100").statusCode()).isEqualTo(200);
        awaitState("contract", "failed");

        assertThat(AdminHarness.json(admin.get("/status"))
                        .path("rollout")
                        .path("state")
                        .asString())
                .isEqualTo("draining");
        create("fixed");
        assertThat(admin.post("/phases/contract/run").statusCode()).isEqualTo(202);

        Poll.until(
                WAIT,
                "the rollout to be contracted",
                () -> admin.state().current().rollout().state().id().equals("contracted"));
        assertThat(metric("teal_phase_runs_total", "contract", "failed")).isEqualTo(1.0);
        assertThat(metric("teal_phase_runs_total", "contract", "succeeded")).isEqualTo(1.0);
    }

    @Test
    void rolledBackRunsOnceNewHasDrainedAfterTheRampBack() {
        start(Plan.of().shell("expand", "before-new", record("expand")).shell("undo", "rolled-back", record("undo")));
        assertThat(admin.post("/ramp?green=25").statusCode()).isEqualTo(200);
        control.drain(Color.GREEN, DrainState.DRAINING, Optional.empty());
        assertThat(admin.post("/ramp?green=0").statusCode()).isEqualTo(200);
        assertThat(state("undo")).isEqualTo("pending");

        control.drain(Color.GREEN, DrainState.DRAINED, Optional.empty());

        Poll.until(
                WAIT,
                "the rollout to settle",
                () -> admin.state().current().rollout().state().id().equals("settled"));
        assertThat(runs())
                .containsExactly("expand rollout=1 blue->green green=0", "undo rollout=1 blue->green green=0");
    }

    @Test
    void aDryRunListsWhatTheStepWouldRunInOrderAndRunsNothing() {
        start(Plan.of()
                .shell("backfill", "after 100", record("backfill"))
                .shell("expand", "before-new", record("expand"))
                .shell("warm", "before 50", record("warm"))
                .shell("contract", "old-drained", record("contract")));

        HttpResponse<String> dryRun = admin.post("/ramp?green=100&dry-run=true");

        assertThat(dryRun.statusCode()).isEqualTo(200);
        JsonNode phases = AdminHarness.json(dryRun).path("phases");
        assertThat(phases.toString())
                .isEqualTo("[{\"name\":\"expand\",\"trigger\":\"before-new\",\"kind\":\"command\",\"status\":\"would"
                        + " run\",\"detail\":null,\"output\":null},{\"name\":\"warm\",\"trigger\":\"before 50\","
                        + "\"kind\":\"command\",\"status\":\"would run\",\"detail\":null,\"output\":null},{\"name\":"
                        + "\"backfill\",\"trigger\":\"after 100\",\"kind\":\"command\",\"status\":\"would start\","
                        + "\"detail\":null,\"output\":null}]");
        assertThat(runs()).isEmpty();
        assertThat(control.calls()).isEmpty();
        assertThat(AdminHarness.json(admin.get("/phases")).path("journal")).isEmpty();
    }

    @Test
    void aSecondRampWhileAPhaseGatesIsRefusedAndTheAdminApiStaysResponsive() throws Exception {
        start(Plan.of().shell("expand", "before-new", waitFor("go") + "; " + record("expand")));
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> admin.post("/ramp?green=5"));
        awaitState("expand", "running");

        HttpResponse<String> second = admin.post("/ramp?green=10");
        HttpResponse<String> byHand = admin.post("/phases/expand/run");

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(second).path("detail").asString())
                .isEqualTo("a ramp to green 5 % is being applied; retry once it has answered");
        assertThat(byHand.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(byHand).path("detail").asString()).startsWith("phase expand is running");
        create("go");
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(control.calls()).containsExactly("setSplit 5");
    }

    @Test
    void runningByHandNamesWhatCannotRun() {
        start(Plan.of().shell("expand", "before-new", record("expand")).shell("contract", "old-drained", "exit 1"));
        control.drain(Color.BLUE, DrainState.DRAINED, Optional.empty());

        HttpResponse<String> unknown = admin.post("/phases/expnad/run");
        HttpResponse<String> pending = admin.post("/phases/expand/run");
        admin.post("/ramp?green=100");
        awaitState("contract", "failed");
        HttpResponse<String> done = admin.post("/phases/expand/run");
        admin.post("/ramp?green=60");
        HttpResponse<String> early = admin.post("/phases/contract/run");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(AdminHarness.json(unknown).path("error").asString()).isEqualTo("no such phase");
        assertThat(AdminHarness.json(unknown).path("detail").asString())
                .isEqualTo("phase: 'expnad' (expected: a phase of teal.rollout.phases; GET /phases lists them)");
        assertThat(pending.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(pending).path("detail").asString())
                .isEqualTo("phase expand (before-new) has not run in rollout 0; it runs when the rollout reaches its"
                        + " trigger");
        assertThat(AdminHarness.json(done).path("detail").asString())
                .isEqualTo("phase expand (before-new) already succeeded in rollout 1; a phase runs at most once per"
                        + " rollout");
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(early).path("detail").asString())
                .isEqualTo("phase contract (old-drained) runs only once blue has drained with green at 100 %; green"
                        + " has 60 % and blue is drained with 1234 active sessions");
        assertThat(admin.get("/phases/expand/run").statusCode()).isEqualTo(405);
    }

    @Test
    void theJournalAndTheRolloutSurviveARestartAndNothingRunsTwice() {
        start(Plan.of().shell("expand", "before-new", record("expand")).shell("warm", "before 50", record("warm")));
        assertThat(admin.post("/ramp?green=50").statusCode()).isEqualTo(200);

        admin.restart();
        HttpResponse<String> ramp = admin.post("/ramp?green=100");

        assertThat(ramp.statusCode()).isEqualTo(200);
        assertThat(AdminHarness.json(ramp).path("phases")).isEmpty();
        assertThat(runs()).hasSize(2);
        JsonNode journal = AdminHarness.json(admin.get("/phases")).path("journal");
        assertThat(journal).hasSize(2);
        assertThat(journal.get(0).path("phase").asString()).isEqualTo("warm");
        assertThat(journal.get(1).path("phase").asString()).isEqualTo("expand");
        assertThat(journal.get(1).path("state").asString()).isEqualTo("succeeded");
    }

    @Test
    void aJournalThatCannotBeWrittenRefusesTheStepBeforeAnythingRuns() throws IOException {
        start(Plan.of().shell("expand", "before-new", record("expand")));
        Files.move(dir.resolve("state"), dir.resolve("state-moved"));
        Files.writeString(dir.resolve("state"), "not a directory");

        HttpResponse<String> ramp = admin.post("/ramp?green=5");

        assertThat(ramp.statusCode()).isEqualTo(503);
        assertThat(AdminHarness.json(ramp).path("detail").asString()).contains("phases.json");
        assertThat(runs()).isEmpty();
        assertThat(control.calls()).isEmpty();
    }

    private double metric(String name, String phase, String outcome) {
        return PrometheusTextParser.parseText(admin.get("/metrics").body()).get(name).samples().stream()
                .filter(s -> s.name().equals(name)
                        && phase.equals(s.labels().get("phase"))
                        && outcome.equals(s.labels().get("outcome")))
                .mapToDouble(PrometheusTextParser.Sample::value)
                .sum();
    }
}
