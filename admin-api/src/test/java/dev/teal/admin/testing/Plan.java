package dev.teal.admin.testing;

import dev.teal.config.DataSourceSettings;
import dev.teal.config.PhaseSettings;
import dev.teal.config.PhaseTrigger;
import dev.teal.config.RolloutSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A migration plan built in a test, as the settings loader would build it from {@code teal.rollout}. */
public final class Plan {
    private final List<PhaseSettings> phases = new ArrayList<>();
    private Optional<DataSourceSettings> datasource = Optional.empty();
    private Duration timeout = Duration.ofSeconds(20);

    public static Plan of() {
        return new Plan();
    }

    /** The time-out of the phases added after this call. */
    public Plan timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public Plan datasource(String url, String user, String password) {
        datasource = Optional.of(new DataSourceSettings(url, Optional.of(user), Optional.ofNullable(password)));
        return this;
    }

    /** A command phase running {@code script} with {@code /bin/sh -c}. */
    public Plan shell(String name, String trigger, String script) {
        return add(name, trigger, new PhaseSettings.Command(List.of("/bin/sh", "-c", script)));
    }

    public Plan http(String name, String trigger, String method, URI url, int expect) {
        return add(name, trigger, new PhaseSettings.Http(url, method, Map.of(), "", OptionalInt.of(expect)));
    }

    public Plan sql(String name, String trigger, Path... folders) {
        return add(name, trigger, new PhaseSettings.Sql(List.of(folders), PhaseSettings.Sql.defaultTable(name)));
    }

    private Plan add(String name, String trigger, PhaseSettings.Kind kind) {
        phases.add(new PhaseSettings(name, PhaseTrigger.parse(trigger), kind, timeout));
        return this;
    }

    public RolloutSettings settings() {
        return new RolloutSettings(datasource, Duration.ofMinutes(30), phases);
    }
}
