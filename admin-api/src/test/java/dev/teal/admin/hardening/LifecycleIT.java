package dev.teal.admin.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.SessionLoad;
import dev.teal.admin.testing.TealUnderTest;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Catalogue rows D2 and D10: stopping under load, and a state directory that cannot be written. */
class LifecycleIT {
    @TempDir
    Path dir;

    @Test
    @DisplayName("D2 SIGTERM under load: in-flight requests finish, idle connections close politely, exit 0")
    void d2_finishesWhatIsInFlightClosesIdleConnectionsAndExitsZeroOnSigterm() throws Exception {
        try (TealUnderTest teal = TealUnderTest.start(dir, 1, "shutdown.drain-timeout = 20s", List.of("-Xmx256m"))) {
            List<RawClient> busy = new ArrayList<>();
            List<RawClient> idle = new ArrayList<>();
            SessionLoad load = SessionLoad.start(teal.proxy(), 4, 20);
            try {
                for (int i = 0; i < 4; i++) {
                    RawClient c = new RawClient(teal.proxy());
                    c.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(c.readResponse().status()).isEqualTo(200);
                    idle.add(c);
                }
                for (int i = 0; i < 6; i++) {
                    RawClient c = new RawClient(teal.proxy());
                    c.send("GET /slow/2000 HTTP/1.1\r\nHost: a\r\n\r\n");
                    busy.add(c);
                }
                Poll.until(
                        Duration.ofSeconds(30),
                        "the slow requests to reach the backend",
                        () -> teal.blue.get(0).requests().stream()
                                        .filter(r -> r.uri().equals("/slow/2000"))
                                        .count()
                                == 6);
                Poll.until(Duration.ofSeconds(30), "load to flow", () -> load.requests() > 200);

                teal.process().signal("TERM");

                for (RawClient c : idle) {
                    assertThat(c.readUntilClose(Duration.ofSeconds(10)))
                            .as("an idle connection closes without a byte")
                            .isEmpty();
                }
                for (RawClient c : busy) {
                    RawResponse r = c.readResponse();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo("blue-1 slow");
                    assertThat(r.header("connection")).isEqualTo("close");
                    assertThat(c.closedWithin(Duration.ofSeconds(10))).isTrue();
                }
                assertThat(teal.process().exitCode())
                        .as(teal.process().stderr())
                        .isZero();
            } finally {
                SessionLoad.Summary summary = load.stop();
                for (RawClient c : busy) {
                    c.close();
                }
                for (RawClient c : idle) {
                    c.close();
                }
                System.out.println("SIGTERM under load: " + summary);
                // Under load, a request either got its whole answer, or found its idle connection closed
                // before a byte of an answer, or found nothing listening: never a cut or failed answer.
                assertThat(summary.failuresByKind().keySet())
                        .as("%s", summary)
                        .isSubsetOf(Set.of(SessionLoad.Failure.CLOSED, SessionLoad.Failure.REFUSED));
            }
            assertThat(teal.process().stderr())
                    .contains("SIGTERM received")
                    .contains("stopped")
                    .doesNotContain("LEAK:");
            assertThatThrownBy(() -> new RawClient(teal.proxy()).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    @DisplayName("D10 state directory not writable: the ramp is refused with 503 and the previous state stays")
    void d10_refusesARampItCannotStoreAndKeepsThePreviousState() throws IOException {
        try (AdminHarness admin = AdminHarness.start(dir.resolve("state"))) {
            assertThat(admin.post("/ramp?green=10").statusCode()).isEqualTo(200);
            // The directory goes away and a file takes its place: nothing can be written there now,
            // whoever runs the test (root ignores permission bits, so chmod would not do).
            Files.move(dir.resolve("state"), dir.resolve("state-moved"));
            Files.writeString(dir.resolve("state"), "not a directory");

            HttpResponse<String> response = admin.post("/ramp?green=50");

            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode body = AdminHarness.json(response);
            assertThat(body.path("error").asString()).isEqualTo("state not writable");
            assertThat(body.path("detail").asString())
                    .contains("cannot write " + dir.resolve("state").resolve("state.json"))
                    .endsWith("nothing was changed, the previous state stays in force");
            assertThat(admin.control().calls()).containsExactly("setSplit 10");
            assertThat(AdminHarness.json(admin.get("/status"))
                            .path("split")
                            .path("green")
                            .asInt())
                    .isEqualTo(10);
            JsonNode stored = AdminHarness.json(
                    Files.readString(dir.resolve("state-moved").resolve("state.json")));
            assertThat(stored.path("split").path("green").asInt()).isEqualTo(10);
        }
    }
}
