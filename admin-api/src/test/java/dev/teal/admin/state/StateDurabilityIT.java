package dev.teal.admin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.FakeTrafficControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The split and rollout survive a restart; a corrupt state file stops teal from starting. Crashes and an
 * unusable state directory are catalogue rows D9 and D10, in {@code hardening}.
 */
class StateDurabilityIT {
    @TempDir
    Path dir;

    @Test
    void splitAndRolloutSurviveARestartAndAreAppliedToTheDataPlane() {
        try (AdminHarness first = AdminHarness.start(dir)) {
            assertThat(first.post("/ramp?green=25").statusCode()).isEqualTo(200);
        }

        FakeTrafficControl freshDataPlane = new FakeTrafficControl();
        try (AdminHarness second = AdminHarness.start(dir, freshDataPlane, b -> {})) {
            JsonNode status = AdminHarness.json(second.get("/status"));

            assertThat(freshDataPlane.calls()).containsExactly("setSplit 25");
            assertThat(status.path("split").path("green").asInt()).isEqualTo(25);
            assertThat(status.path("rollout").path("id").asLong()).isEqualTo(1);
            assertThat(status.path("rollout").path("state").asString()).isEqualTo("ramping");
        }
    }

    @Test
    void corruptStateFileRefusesToStartInsteadOfResetting() throws IOException {
        Files.writeString(dir.resolve("state.json"), "{\"version\": 1, \"split\": {\"green\": 40}");

        assertThatThrownBy(() -> AdminHarness.start(dir))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageStartingWith(dir.resolve("state.json") + ": not valid JSON");
        assertThat(Files.readString(dir.resolve("state.json")))
                .isEqualTo("{\"version\": 1, \"split\": {\"green\": 40}");
    }
}
