package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.config.PhaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Versioned SQL scripts applied by Flyway: each script runs once, in version order, inside a transaction
 * where the database allows DDL in one (PostgreSQL, H2), with its checksum kept, so a changed script that
 * was already applied is refused instead of silently skipped.
 *
 * <p>Each phase keeps its own history table (default {@code teal_<name>_history}) rather than one
 * history with a {@code target} version per phase: expand and contract then number their scripts
 * independently, a release adds {@code V2__...} to each folder without coordinating versions across them,
 * and one phase's failure never makes Flyway see the other's scripts as pending or out of order. The
 * second table in a schema that is no longer empty starts from a baseline at version 0, so its V1 still
 * runs. Flyway's lock on the history (an advisory lock on PostgreSQL) keeps two teal instances from
 * applying a script twice.
 */
final class SqlPhase implements Phase {
    /** How long a stopped migration may take to notice its cancelled statements before it is left behind. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    private final PhaseSettings settings;
    private final PhaseSettings.Sql sql;
    private final JdbcDataSource datasource;

    SqlPhase(PhaseSettings settings, PhaseSettings.Sql sql, JdbcDataSource datasource) {
        this.settings = requireNonNull(settings, "settings");
        this.sql = requireNonNull(sql, "sql");
        this.datasource = requireNonNull(datasource, "datasource");
    }

    @Override
    public PhaseSettings settings() {
        return settings;
    }

    @Override
    public PhaseResult run(PhaseRun run) {
        CancellableDataSource connections = new CancellableDataSource(datasource);
        Flyway flyway = Flyway.configure(SqlPhase.class.getClassLoader())
                .dataSource(connections)
                .locations(sql.locations().stream()
                        .map(path -> "filesystem:" + path.toAbsolutePath().normalize())
                        .toArray(String[]::new))
                .table(sql.table())
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("teal phase " + settings.name() + ": history starts")
                .failOnMissingLocations(true)
                .loggers("slf4j")
                .load();
        CompletableFuture<MigrateResult> migration = new CompletableFuture<>();
        // JDBC calls do not answer to interrupts: Flyway runs on its own thread, this one keeps the time.
        Thread worker = new Thread(
                () -> {
                    try {
                        migration.complete(flyway.migrate());
                    } catch (Throwable e) {
                        migration.completeExceptionally(e);
                    }
                },
                "teal-phase-" + settings.name() + "-flyway");
        worker.setDaemon(true);
        worker.start();
        try {
            return succeeded(migration.get(run.timeout().toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            String stopped = stop(connections, migration);
            return PhaseResult.of(
                    PhaseState.TIMED_OUT,
                    "still running after " + Durations.text(run.timeout()) + "; its statements were cancelled",
                    stopped);
        } catch (InterruptedException e) {
            String stopped = stop(connections, migration);
            Thread.currentThread().interrupt();
            return PhaseResult.of(
                    PhaseState.INTERRUPTED, "teal stopped while it ran; its statements were cancelled", stopped);
        } catch (ExecutionException e) {
            return failed(e.getCause());
        }
    }

    /**
     * Cancels the running statements and waits a little for Flyway to roll back and give up; ends the
     * connections if it does not. What Flyway said then is the output.
     */
    private static String stop(CancellableDataSource connections, CompletableFuture<MigrateResult> migration) {
        connections.cancel();
        Optional<String> said = await(migration, STOP_WAIT);
        if (said.isEmpty()) {
            connections.abort();
            said = await(migration, STOP_WAIT);
        }
        return said.orElse("the migration did not stop within " + Durations.text(STOP_WAIT.multipliedBy(2))
                + " of being cancelled");
    }

    /** What the migration ended with, once it ended within {@code wait}. */
    private static Optional<String> await(CompletableFuture<MigrateResult> migration, Duration wait) {
        try {
            migration.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of("");
        } catch (ExecutionException e) {
            return Optional.of(OutputTail.of(String.valueOf(e.getCause().getMessage())));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static PhaseResult succeeded(MigrateResult result) {
        List<AppliedVersion> versions = versions(result);
        StringBuilder output = new StringBuilder();
        for (AppliedVersion version : versions) {
            output.append("applied ").append(version).append('\n');
        }
        if (result.warnings != null) {
            result.warnings.forEach(
                    warning -> output.append("warning: ").append(warning).append('\n'));
        }
        String detail = versions.isEmpty()
                ? "nothing to apply; schema at version " + result.initialSchemaVersion
                : versions.size() + " script" + (versions.size() == 1 ? "" : "s") + " applied; schema now at version "
                        + result.targetSchemaVersion;
        output.append(detail);
        return new PhaseResult(PhaseState.SUCCEEDED, detail, OutputTail.of(output.toString()), versions);
    }

    private static PhaseResult failed(Throwable cause) {
        List<AppliedVersion> versions = List.of();
        if (cause instanceof FlywayMigrateException migrate && migrate.getErrorResult() != null) {
            versions = versions(migrate.getErrorResult());
        }
        String message = cause instanceof FlywayException
                ? String.valueOf(cause.getMessage())
                : cause.toString() + (cause.getCause() != null ? ": " + cause.getCause() : "");
        return new PhaseResult(PhaseState.FAILED, summary(cause, message), OutputTail.of(message), versions);
    }

    /**
     * One line out of Flyway's multi-line report: the script and the database's own message
     * ({@code V2__drop_names.sql: ERROR: column "first_name" does not exist}), else its first lines.
     */
    static String summary(Throwable cause, String message) {
        String databaseMessage = null;
        for (String line : message.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Message") && trimmed.contains(":")) {
                databaseMessage = trimmed.substring(trimmed.indexOf(':') + 1).trim();
                break;
            }
        }
        if (cause instanceof FlywayMigrateException migrate && migrate.getMigration() != null) {
            Path script = Path.of(String.valueOf(migrate.getMigration().getScript()));
            return script.getFileName() + ": " + (databaseMessage != null ? databaseMessage : firstLine(message));
        }
        List<String> lines = new ArrayList<>();
        for (String line : message.split("\n")) {
            if (!line.isBlank() && !line.startsWith("---") && lines.size() < 2) {
                lines.add(line.trim());
            }
        }
        return String.join(": ", lines);
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static List<AppliedVersion> versions(MigrateResult result) {
        List<AppliedVersion> versions = new ArrayList<>();
        if (result.migrations != null) {
            for (MigrateOutput migration : result.migrations) {
                if (migration.version != null && !migration.version.isEmpty()) {
                    versions.add(new AppliedVersion(
                            migration.version,
                            String.valueOf(migration.description),
                            Duration.ofMillis(migration.executionTime)));
                }
            }
        }
        return versions;
    }
}
