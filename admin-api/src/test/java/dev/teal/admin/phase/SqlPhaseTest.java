package dev.teal.admin.phase;

import static dev.teal.admin.testing.Sql.columns;
import static dev.teal.admin.testing.Sql.script;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.Sql;
import dev.teal.config.DataSourceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQL phases against H2, the demo's database: Flyway's versions, history, checksums and errors. */
class SqlPhaseTest {
    @TempDir
    Path dir;

    private String url;
    private DataSourceSettings db;
    private Path expand;
    private Path contract;

    @BeforeEach
    void database() {
        url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        db = Phases.db(url, "postgres", "");
        expand = dir.resolve("db/expand");
        contract = dir.resolve("db/contract");
        Sql.execute(url, "CREATE TABLE customer (id INT PRIMARY KEY, first_name VARCHAR(50), last_name VARCHAR(50))");
    }

    private SqlPhase phase(String name, Path folder) {
        return Phases.sql(name, "before-new", Duration.ofSeconds(30), db, folder);
    }

    @Test
    void appliesThePendingScriptsInVersionOrderAndReportsEach() {
        script(expand, "V2__index_full_name.sql", "CREATE INDEX customer_full_name ON customer (full_name);");
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(101);");
        SqlPhase phase = phase("expand", expand);

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(result.detail()).isEqualTo("2 scripts applied; schema now at version 2");
        assertThat(result.versions())
                .extracting(AppliedVersion::version, AppliedVersion::description)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", "add full name"),
                        org.assertj.core.groups.Tuple.tuple("2", "index full name"));
        assertThat(result.output()).contains("applied V1 add full name (").contains("applied V2 index full name (");
        assertThat(columns(url, "customer")).containsExactly("id", "first_name", "last_name", "full_name");
        assertThat(
                        Sql.column(
                                url,
                                "SELECT \"version\" FROM \"teal_expand_history\" WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\""))
                .containsExactly("1", "2");
    }

    @Test
    void aScriptRunsOnceAndANewOneAloneRunsNextRelease() {
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(101);");
        SqlPhase phase = phase("expand", expand);
        phase.run(Phases.run(phase));

        PhaseResult again = phase.run(Phases.run(phase));
        script(expand, "V2__add_email.sql", "ALTER TABLE customer ADD COLUMN email VARCHAR(200);");
        PhaseResult next = phase.run(Phases.run(phase));

        assertThat(again.state()).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(again.detail()).isEqualTo("nothing to apply; schema at version 1");
        assertThat(again.versions()).isEmpty();
        assertThat(next.versions()).extracting(AppliedVersion::version).containsExactly("2");
    }

    @Test
    void eachPhaseKeepsItsOwnHistorySoContractsV1RunsAfterExpandsV1() {
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(101);");
        script(
                contract,
                "V1__drop_names.sql",
                "ALTER TABLE customer DROP COLUMN first_name;" + " ALTER TABLE customer DROP COLUMN last_name;");
        SqlPhase first = phase("expand", expand);
        SqlPhase second = phase("contract", contract);

        first.run(Phases.run(first));
        PhaseResult contracted = second.run(Phases.run(second));

        assertThat(contracted.state()).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(contracted.versions()).extracting(AppliedVersion::version).containsExactly("1");
        assertThat(columns(url, "customer")).containsExactly("id", "full_name");
    }

    @Test
    void aFailingScriptFailsWithTheDatabasesErrorAndNamesTheScript() {
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(101);");
        script(expand, "V2__add_full_name_again.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(101);");
        SqlPhase phase = phase("expand", expand);

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).startsWith("V2__add_full_name_again.sql: ").containsIgnoringCase("full_name");
        assertThat(result.output()).contains("V2__add_full_name_again.sql");
        assertThat(result.versions()).extracting(AppliedVersion::version).containsExactly("1");
    }

    @Test
    void aChangedScriptThatWasAppliedIsDetectedByItsChecksum() {
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(101);");
        SqlPhase phase = phase("expand", expand);
        phase.run(Phases.run(phase));
        script(expand, "V1__add_full_name.sql", "ALTER TABLE customer ADD COLUMN full_name VARCHAR(200);");

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).contains("checksum mismatch for migration version 1");
        assertThat(result.versions()).isEmpty();
    }

    @Test
    void anUnreachableDatabaseFails() {
        SqlPhase phase = Phases.sql(
                "expand",
                "before-new",
                Duration.ofSeconds(30),
                Phases.db("jdbc:h2:" + dir.resolve("no/such/dir/db") + ";IFEXISTS=TRUE", "sa", ""),
                expand);
        script(expand, "V1__x.sql", "SELECT 1;");

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).isNotEmpty();
        assertThat(List.of(result.output())).isNotEmpty();
    }
}
