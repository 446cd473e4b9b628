package dev.teal.admin.phase;

import static dev.teal.admin.testing.Sql.columns;
import static dev.teal.admin.testing.Sql.script;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.Postgres;
import dev.teal.admin.testing.Sql;
import dev.teal.config.DataSourceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQL phases against a real PostgreSQL server, one for the class, one database per test. */
class SqlPhasePostgresIT {
    private static Postgres postgres;

    @TempDir
    Path dir;

    private String url;
    private DataSourceSettings db;
    private Path expand;

    @BeforeAll
    static void startPostgres() {
        postgres = Postgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void database() {
        url = postgres.newDatabase();
        db = Phases.db(url, "postgres", null);
        expand = dir.resolve("db/expand");
        Sql.execute(url, "CREATE TABLE customer (id INT PRIMARY KEY, first_name TEXT, last_name TEXT)");
    }

    private SqlPhase phase(String name, Duration timeout, Path folder) {
        return Phases.sql(name, "before-new", timeout, db, folder);
    }

    @Test
    void appliesScriptsAndTimesEach() {
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name TEXT;");
        SqlPhase phase = phase("expand", Duration.ofSeconds(30), expand);

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(result.versions()).extracting(AppliedVersion::version).containsExactly("1");
        assertThat(result.versions().get(0).took()).isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(columns(url, "customer")).containsExactly("id", "first_name", "last_name", "full_name");
        assertThat(Sql.column(url, "SELECT version FROM teal_expand_history WHERE type = 'SQL'"))
                .containsExactly("1");
    }

    @Test
    void aFailingScriptIsRolledBackWholeAndReportsPostgresError() {
        script(
                expand,
                "V1__add_and_copy.sql",
                "ALTER TABLE customer ADD COLUMN full_name TEXT;\n"
                        + "UPDATE customer SET full_name = first_name || ' ' || surname;\n");
        SqlPhase phase = phase("expand", Duration.ofSeconds(30), expand);

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).isEqualTo("V1__add_and_copy.sql: ERROR: column \"surname\" does not exist");
        assertThat(result.output()).contains("SQL State  : 42703");
        // PostgreSQL runs DDL in the script's transaction: the column added by the first line is gone too.
        assertThat(columns(url, "customer")).containsExactly("id", "first_name", "last_name");
    }

    @Test
    void aChangedScriptIsRefusedByItsChecksum() {
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name TEXT;");
        SqlPhase phase = phase("expand", Duration.ofSeconds(30), expand);
        phase.run(Phases.run(phase));
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(80);");

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).contains("checksum mismatch for migration version 1");
    }

    @Test
    void aScriptRunningPastTheTimeoutIsCancelledAndRolledBack() {
        script(expand, "V1__slow.sql", "ALTER TABLE customer ADD COLUMN full_name TEXT;\nSELECT pg_sleep(30);\n");
        SqlPhase phase = phase("expand", Duration.ofMillis(700), expand);

        long start = System.nanoTime();
        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.TIMED_OUT);
        assertThat(result.detail()).isEqualTo("still running after 0.7s; its statements were cancelled");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(columns(url, "customer")).containsExactly("id", "first_name", "last_name");
        assertThat(Sql.column(
                        url,
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%'"
                                + " AND pid <> pg_backend_pid()"))
                .isEqualTo(List.of("0"));
    }

    @Test
    void theHistoryOfOnePhaseDoesNotSeeTheOthersScripts() {
        Path contract = dir.resolve("db/contract");
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name TEXT;");
        script(expand, "V2__fill.sql", "UPDATE customer SET full_name = first_name;");
        script(contract, "V1__drop_names.sql", "ALTER TABLE customer DROP COLUMN first_name, DROP COLUMN last_name;");

        PhaseResult expanded = phase("expand", Duration.ofSeconds(30), expand).run(run("expand"));
        PhaseResult contracted =
                phase("contract", Duration.ofSeconds(30), contract).run(run("contract"));

        assertThat(expanded.versions()).extracting(AppliedVersion::version).containsExactly("1", "2");
        assertThat(contracted.versions()).extracting(AppliedVersion::version).containsExactly("1");
        assertThat(columns(url, "customer")).containsExactly("id", "full_name");
    }

    private static PhaseRun run(String phase) {
        return new PhaseRun(
                1, dev.teal.config.Color.BLUE, dev.teal.config.Color.GREEN, 0, phase, Duration.ofSeconds(30));
    }
}
