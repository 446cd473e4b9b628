package dev.teal.admin.phase;

import dev.teal.config.Color;
import dev.teal.config.DataSourceSettings;
import dev.teal.config.PhaseSettings;
import dev.teal.config.PhaseTrigger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Phases and runs for the phase tests, built the way the settings loader builds them. */
final class Phases {
    private Phases() {}

    static PhaseSettings settings(String name, String trigger, PhaseSettings.Kind kind, Duration timeout) {
        return new PhaseSettings(name, PhaseTrigger.parse(trigger), kind, timeout);
    }

    static CommandPhase command(String name, Duration timeout, String... command) {
        PhaseSettings.Command kind = new PhaseSettings.Command(List.of(command));
        return new CommandPhase(settings(name, "after 100", kind, timeout), kind);
    }

    static HttpPhase http(
            String name,
            Duration timeout,
            String method,
            URI url,
            Map<String, String> headers,
            String body,
            OptionalInt expect) {
        PhaseSettings.Http kind = new PhaseSettings.Http(url, method, headers, body, expect);
        return new HttpPhase(settings(name, "after 100", kind, timeout), kind);
    }

    static SqlPhase sql(String name, String trigger, Duration timeout, DataSourceSettings db, Path... folders) {
        PhaseSettings.Sql kind = new PhaseSettings.Sql(List.of(folders), PhaseSettings.Sql.defaultTable(name));
        return new SqlPhase(settings(name, trigger, kind, timeout), kind, new JdbcDataSource(db));
    }

    static DataSourceSettings db(String url, String user, String password) {
        return new DataSourceSettings(url, Optional.of(user), Optional.ofNullable(password));
    }

    static PhaseRun run(Phase phase) {
        return new PhaseRun(
                3, Color.BLUE, Color.GREEN, 25, phase.name(), phase.settings().timeout());
    }
}
