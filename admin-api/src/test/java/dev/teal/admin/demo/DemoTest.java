package dev.teal.admin.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Backend;
import dev.teal.config.Color;
import dev.teal.config.HostPort;
import dev.teal.config.PhaseSettings;
import dev.teal.config.PhaseTrigger;
import dev.teal.config.TealSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir
    Path dir;

    private TealSettings settings() throws Exception {
        DemoDatabase database = DemoDatabase.h2(dir);
        try {
            return Demo.settings(8080, 10001, 10002, 9901, dir, database, Demo.SESSION_IDLE_TIMEOUT);
        } finally {
            database.close();
        }
    }

    @Test
    void demoConfSendsEveryNewSessionToBlueInFrontOfBothApplications() throws Exception {
        TealSettings settings = settings();

        assertThat(settings.listen()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(settings.initialGreenPercent()).isZero();
        assertThat(settings.color(Color.BLUE).backends()).containsExactly(Backend.parse("127.0.0.1:10001"));
        assertThat(settings.color(Color.GREEN).backends()).containsExactly(Backend.parse("127.0.0.1:10002"));
        assertThat(settings.color(Color.BLUE).healthCheck().path()).hasValue("/health");
        assertThat(settings.color(Color.GREEN).healthCheck().path()).hasValue("/health");
        assertThat(settings.stateDir()).isEqualTo(dir.resolve("state").toAbsolutePath());
    }

    @Test
    void tealAndTheApplicationsIdleSessionsOutAlike() throws Exception {
        assertThat(settings().sessions().idleTimeout()).isEqualTo(Demo.SESSION_IDLE_TIMEOUT);
    }

    @Test
    void theReleaseExpandsBeforeGreenBackfillsAtOneHundredAndContractsOnceBlueDrained() throws Exception {
        TealSettings settings = settings();

        assertThat(settings.rollout().datasource().orElseThrow().url()).startsWith("jdbc:h2:file:" + dir);
        List<PhaseSettings> phases = settings.rollout().phases();
        assertThat(phases).extracting(PhaseSettings::name).containsExactly("expand", "backfill", "contract");
        assertThat(phases)
                .extracting(p -> p.trigger().toString())
                .containsExactly("before-new", "after 100", "old-drained");
        assertThat(phases.get(0).kind())
                .isEqualTo(new PhaseSettings.Sql(
                        List.of(dir.resolve("db/expand").toAbsolutePath()), "teal_expand_history"));
        assertThat(((PhaseSettings.Http) phases.get(1).kind()).url())
                .isEqualTo(URI.create("http://127.0.0.1:10002/api/backfill"));
        assertThat(phases.get(2).trigger()).isEqualTo(PhaseTrigger.of(PhaseTrigger.Type.OLD_DRAINED));
    }
}
