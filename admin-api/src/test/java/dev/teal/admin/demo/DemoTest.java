package dev.teal.admin.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Backend;
import dev.teal.config.Color;
import dev.teal.config.HostPort;
import dev.teal.config.TealSettings;
import org.junit.jupiter.api.Test;

class DemoTest {
    @Test
    void demoConfSendsEveryNewSessionToBlueInFrontOfBothApplications() {
        TealSettings settings = Demo.settings(8080, 10001, 10002, 9901, java.nio.file.Path.of("/tmp/teal-demo-test"));

        assertThat(settings.listen()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(settings.initialGreenPercent()).isZero();
        assertThat(settings.color(Color.BLUE).backends()).containsExactly(Backend.parse("127.0.0.1:10001"));
        assertThat(settings.color(Color.GREEN).backends()).containsExactly(Backend.parse("127.0.0.1:10002"));
        assertThat(settings.color(Color.BLUE).healthCheck().path()).hasValue("/health");
        assertThat(settings.color(Color.GREEN).healthCheck().path()).hasValue("/health");
    }

    @Test
    void tealAndTheApplicationsIdleSessionsOutAlike() {
        TealSettings settings = Demo.settings(8080, 10001, 10002, 9901, java.nio.file.Path.of("/tmp/teal-demo-test"));

        assertThat(settings.sessions().idleTimeout()).isEqualTo(Demo.SESSION_IDLE_TIMEOUT);
    }
}
