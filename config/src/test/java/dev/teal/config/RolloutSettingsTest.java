package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.PhaseTrigger.Type;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code teal.rollout}: the migration plan, read and validated with every problem at once. */
class RolloutSettingsTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    static Path dir;

    private static Path expand;
    private static Path contract;
    private static Path backfill;

    @BeforeEach
    void scripts() throws IOException {
        expand = Files.createDirectories(dir.resolve("db/expand"));
        contract = Files.createDirectories(dir.resolve("db/contract"));
        backfill = dir.resolve("backfill.sh");
        if (!Files.exists(backfill)) {
            Files.writeString(backfill, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(backfill, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static String plan(String rollout) {
        return TestSettings.MINIMAL + "teal.rollout {\n" + rollout + "\n}\n";
    }

    @Test
    void hasNoPhasesByDefault() throws Exception {
        RolloutSettings rollout =
                SettingsLoader.parse(TestSettings.MINIMAL, Map.of()).rollout();

        assertThat(rollout).isEqualTo(RolloutSettings.none());
        assertThat(rollout.datasource()).isEmpty();
        assertThat(rollout.phaseTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void readsThePlanOfTheIssue() throws Exception {
        RolloutSettings rollout = SettingsLoader.parse(
                        plan("""
                                datasource { url = "jdbc:h2:mem:shop", user = "deploy", password = ${?DB_PASSWORD} }
                                phase-timeout = 30m
                                phases = [
                                  { name = expand,   trigger = before-new,  sql.locations = ["filesystem:%s"] }
                                  { name = warm,     trigger = "before 50", http { url = "http://green.internal/warmup", method = POST, expect = 204 } }
                                  { name = backfill, trigger = "after 100", command = ["%s", "--batch", "1000"], timeout = 2h }
                                  { name = contract, trigger = old-drained, sql { locations = ["filesystem:%s"], table = contract_log } }
                                  { name = undo,     trigger = rolled-back, http { url = "https://db-tools:8443/undo?x=1", method = PUT,
                                                     headers { X-Token = abc, Content-Type = "application/json" }, body = "{}" } }
                                ]
                                """.formatted(expand, backfill, contract)), Map.of("DB_PASSWORD", "s3cret"))
                .rollout();

        assertThat(rollout.datasource())
                .contains(new DataSourceSettings("jdbc:h2:mem:shop", Optional.of("deploy"), Optional.of("s3cret")));
        assertThat(rollout.datasource().get().toString()).doesNotContain("s3cret");
        assertThat(rollout.phases())
                .containsExactly(
                        new PhaseSettings(
                                "expand",
                                PhaseTrigger.of(Type.BEFORE_NEW),
                                new PhaseSettings.Sql(List.of(expand), "teal_expand_history"),
                                Duration.ofMinutes(30)),
                        new PhaseSettings(
                                "warm",
                                new PhaseTrigger(Type.BEFORE, 50),
                                new PhaseSettings.Http(
                                        URI.create("http://green.internal/warmup"),
                                        "POST",
                                        Map.of(),
                                        "",
                                        OptionalInt.of(204)),
                                Duration.ofMinutes(30)),
                        new PhaseSettings(
                                "backfill",
                                new PhaseTrigger(Type.AFTER, 100),
                                new PhaseSettings.Command(List.of(backfill.toString(), "--batch", "1000")),
                                Duration.ofHours(2)),
                        new PhaseSettings(
                                "contract",
                                PhaseTrigger.of(Type.OLD_DRAINED),
                                new PhaseSettings.Sql(List.of(contract), "contract_log"),
                                Duration.ofMinutes(30)),
                        new PhaseSettings(
                                "undo",
                                PhaseTrigger.of(Type.ROLLED_BACK),
                                new PhaseSettings.Http(
                                        URI.create("https://db-tools:8443/undo?x=1"),
                                        "PUT",
                                        Map.of("X-Token", "abc", "Content-Type", "application/json"),
                                        "{}",
                                        OptionalInt.empty()),
                                Duration.ofMinutes(30)));
        PhaseSettings.Http undo = (PhaseSettings.Http) rollout.phases().get(4).kind();
        assertThat(undo.expected(201)).isTrue();
        assertThat(undo.expected(302)).isFalse();
    }

    @Test
    void findsAProgramOnPath() throws Exception {
        RolloutSettings rollout = SettingsLoader.parse(
                        plan("phases = [ { name = hello, trigger = \"after 5\", command = [sh, -c, \"echo hi\"] } ]"),
                        ENV)
                .rollout();

        assertThat(rollout.phases().get(0).kind()).isEqualTo(new PhaseSettings.Command(List.of("sh", "-c", "echo hi")));
    }

    @Test
    void writesTriggersTheWaySettingsDo() {
        assertThat(PhaseTrigger.parse("before 50")).hasToString("before 50");
        assertThat(PhaseTrigger.parse("  after   100 ")).isEqualTo(new PhaseTrigger(Type.AFTER, 100));
        assertThat(PhaseTrigger.parse("old-drained")).hasToString("old-drained");
        assertThat(PhaseTrigger.parse("rolled-back").type()).isEqualTo(Type.ROLLED_BACK);
        assertThat(Type.BEFORE_NEW.gates()).isTrue();
        assertThat(Type.AFTER.gates()).isFalse();
    }

    static Stream<Arguments> badPlans() {
        return Stream.of(
                row(
                        "phases = [ { name = expand, trigger = before-green, command = [sh] } ]",
                        "teal.rollout.phases[0].trigger: \"before-green\" (expected: one of before-new, \"before N\","
                                + " \"after N\" (N an integer percentage 1-100), old-drained, rolled-back)"),
                row(
                        "phases = [ { name = warm, trigger = before 150, command = [sh] } ]",
                        "teal.rollout.phases[0].trigger: \"before 150\" (expected: \"before N\" with N an integer"
                                + " percentage 1-100, such as \"before 50\")"),
                row(
                        "phases = [ { name = a, trigger = \"after 0\", command = [sh] } ]",
                        "teal.rollout.phases[0].trigger: \"after 0\" (expected: \"after N\" with N an integer"
                                + " percentage 1-100, such as \"after 50\")"),
                row(
                        "phases = [ { name = a, trigger = before-new, command = [sh] },"
                                + " { name = a, trigger = old-drained, command = [sh] } ]",
                        "teal.rollout.phases[1].name: \"a\" (expected: a name no other phase has; phases[0] is"
                                + " named so too)"),
                row(
                        "phases = [ { name = a, trigger = before-new } ]",
                        "teal.rollout.phases[0]: no sql, command or http (expected: exactly one of sql.locations ="
                                + " [...], command = [...] or http { url = ... })"),
                row(
                        "phases = [ { name = a, trigger = before-new, command = [sh], http.url = \"http://x/\" } ]",
                        "teal.rollout.phases[0]: command and http both given (expected: exactly one of"
                                + " sql.locations = [...], command = [...] or http { url = ... })"),
                row(
                        "datasource.url = \"jdbc:h2:mem:x\"\n"
                                + "phases = [ { name = a, trigger = before-new, sql.locations = [\"filesystem:/no/such/db\"] } ]",
                        "teal.rollout.phases[0].sql.locations[0]: \"filesystem:/no/such/db\", /no/such/db does not"
                                + " exist (expected: filesystem:DIR, an existing folder of SQL scripts, such as"
                                + " \"filesystem:db/expand\")"),
                row(
                        "datasource.url = \"jdbc:h2:mem:x\"\n"
                                + "phases = [ { name = a, trigger = before-new, sql.locations = [\"classpath:db\"] } ]",
                        "teal.rollout.phases[0].sql.locations[0]: \"classpath:db\" (expected: filesystem:DIR, an"
                                + " existing folder of SQL scripts, such as \"filesystem:db/expand\")"),
                row(
                        "phases = [ { name = a, trigger = before-new, http.url = \"green.internal/warmup\" } ]",
                        "teal.rollout.phases[0].http.url: \"green.internal/warmup\" (expected: an absolute http://"
                                + " or https:// URL, such as \"http://green.internal/warmup\")"),
                row(
                        "phases = [ { name = a, trigger = before-new, http { url = \"http://x/\", expect = 999 } } ]",
                        "teal.rollout.phases[0].http.expect: 999 (expected: an HTTP status code 100-599, such as"
                                + " 204)"),
                row(
                        "phases = [ { name = a, trigger = before-new, command = [sh], timeot = 5m } ]",
                        "teal.rollout.phases[0].timeot: unknown setting (expected one of: name, trigger, sql,"
                                + " command, http, timeout)"),
                row(
                        "phases = [ { name = a, trigger = before-new, http { url = \"http://x/\", status = 204 } } ]",
                        "teal.rollout.phases[0].http.status: unknown setting (expected one of: url, method, headers,"
                                + " body, expect)"),
                row(
                        "datasource.url = \"jdbc:mysql://db/shop\"",
                        "teal.rollout.datasource.url: \"jdbc:mysql://db/shop\" (expected: a JDBC URL whose driver is"
                                + " on the class path; none accepts jdbc:mysql: (teal ships jdbc:h2: and"
                                + " jdbc:postgresql:; add a driver's jar to the class path for others))"),
                row(
                        "datasource.url = \"postgres://db/shop\"",
                        "teal.rollout.datasource.url: \"postgres://db/shop\" (expected: a JDBC URL whose driver is"
                                + " on the class path (teal ships jdbc:h2: and jdbc:postgresql:), or \"\" for none)"),
                row(
                        "phases = [ { name = a, trigger = before-new, sql.locations = [\"filesystem:/tmp\"] } ]",
                        "teal.rollout.phases[0].sql: an sql phase (expected: teal.rollout.datasource.url set to"
                                + " the database its scripts migrate, such as \"jdbc:postgresql://db.internal/shop\")"),
                row(
                        "datasource.url = \"jdbc:h2:mem:x\"\n"
                                + "phases = [ { name = a, trigger = before-new, sql { locations = [\"filesystem:/tmp\"], table = t } },"
                                + " { name = b, trigger = old-drained, sql { locations = [\"filesystem:/tmp\"], table = T } } ]",
                        "teal.rollout.phases[1].sql.table: \"T\" (expected: a history table of its own; phases[0]"
                                + " uses it (one history per phase))"),
                row(
                        "phases = [ { name = a, trigger = before-new, command = [no-such-program-here] } ]",
                        "teal.rollout.phases[0].command[0]: \"no-such-program-here\", not found on PATH (expected:"
                                + " an executable file (a path relative to teal's working directory, or a program on"
                                + " PATH))"),
                row(
                        "phases = [ { name = a, trigger = before-new, command = [] } ]",
                        "teal.rollout.phases[0].command: [] (expected: a list: the program and its arguments, such"
                                + " as [\"scripts/backfill.sh\", \"--batch\", \"1000\"])"),
                row(
                        "phases = [ { name = \"a b\", trigger = before-new, command = [sh] } ]",
                        "teal.rollout.phases[0].name: \"a b\" (expected: a name of 1-63 letters, digits, '-' or '_',"
                                + " starting with a letter or a digit, such as expand)"),
                row(
                        "phases = [ { name = a, trigger = before-new, http { url = \"http://x/\", headers { X-A = \"1\\r\\nX-B: 2\" } } } ]",
                        "teal.rollout.phases[0].http.headers.X-A: (hidden, 9 characters) (expected: a header"
                                + " value: text without control characters)"),
                row(
                        "phases = [ { name = a, trigger = before-new, http { url = \"http://x/\", headers { Host = x } } } ]",
                        "teal.rollout.phases[0].http.headers.Host: (hidden, 1 characters) (expected: a header other"
                                + " than Connection, Content-Length, Expect, Host and Upgrade, which the HTTP client sets"
                                + " itself)"),
                row(
                        "phases = [ expand ]",
                        "teal.rollout.phases[0]: \"expand\" (expected: an object such as { name = expand, trigger ="
                                + " before-new, sql.locations = [\"filesystem:db/expand\"] })"),
                row(
                        "phases = [ { name = a, trigger = before-new, command = [sh], timeout = 0s } ]",
                        "teal.rollout.phases[0].timeout: 0s (expected: a positive duration such as 3s)"),
                row(
                        "phase-timeout = forever",
                        "teal.rollout.phase-timeout: forever (expected: a positive duration such as 3s)"));
    }

    private static Arguments row(String rollout, String problem) {
        return Arguments.of(rollout, problem);
    }

    @ParameterizedTest
    @MethodSource("badPlans")
    void reportsABadPlanClearly(String rollout, String problem) {
        InvalidSettingsException e = TestSettings.invalid(plan(rollout), ENV);

        assertThat(e.problems()).containsExactly(problem);
    }

    @Test
    void reportsEveryProblemOfThePlanAtOnce() {
        InvalidSettingsException e = TestSettings.invalid(plan("""
                        datasource.url = "jdbc:nosuch:x"
                        phases = [
                          { name = expand, trigger = before 150, sql.locations = ["filesystem:/no/such/dir"] }
                          { name = expand, trigger = "after 10", command = [sh], colour = blue }
                          { name = warm,   trigger = "before 50" }
                        ]
                        """), ENV);

        assertThat(e.problems())
                .hasSize(5)
                .anyMatch(p -> p.startsWith("teal.rollout.datasource.url: \"jdbc:nosuch:x\""))
                .anyMatch(p -> p.startsWith("teal.rollout.phases[0].trigger: \"before 150\""))
                .anyMatch(p -> p.startsWith("teal.rollout.phases[0].sql.locations[0]: \"filesystem:/no/such/dir\""))
                .anyMatch(p -> p.startsWith("teal.rollout.phases[1].colour: unknown setting"))
                .anyMatch(p -> p.startsWith("teal.rollout.phases[2]: no sql, command or http"));
    }
}
