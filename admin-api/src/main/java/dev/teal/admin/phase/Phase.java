package dev.teal.admin.phase;

import dev.teal.config.PhaseSettings;

/**
 * A phase of the plan, ready to run. A run blocks the calling thread until the phase ends, its timeout
 * passes (the phase is then stopped: a command's process tree killed, SQL statements cancelled, a request
 * abandoned) or the thread is interrupted (teal stops: the same, reported as interrupted).
 */
sealed interface Phase permits SqlPhase, CommandPhase, HttpPhase {
    PhaseSettings settings();

    /** Runs once; never throws for a failure of the phase itself, which is a result. */
    PhaseResult run(PhaseRun run);

    default String name() {
        return settings().name();
    }

    /** Makes the phase for {@code settings}; sql phases migrate {@code datasource}. */
    static Phase of(PhaseSettings settings, JdbcDataSource datasource) {
        PhaseSettings.Kind kind = settings.kind();
        if (kind instanceof PhaseSettings.Sql sql) {
            return new SqlPhase(settings, sql, datasource);
        }
        if (kind instanceof PhaseSettings.Command command) {
            return new CommandPhase(settings, command);
        }
        return new HttpPhase(settings, (PhaseSettings.Http) kind);
    }
}
