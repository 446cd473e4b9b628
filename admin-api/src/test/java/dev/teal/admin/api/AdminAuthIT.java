package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.state.FileStateStore;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.AuditCapture;
import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.admin.testing.RawHttp;
import dev.teal.config.AdminSettings;
import dev.teal.config.HostPort;
import dev.teal.proxy.Split;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A1-A3: who may call the admin API, over real sockets. */
class AdminAuthIT {
    private static final String TOKEN = "s3cret-admin-token";

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- A2: token

    @Test
    void tokenProtectedServerRefusesMissingAndWrongTokens() {
        try (AdminHarness admin = AdminHarness.start(dir, b -> b.token(Optional.of(TOKEN)))) {
            HttpResponse<String> missing = admin.get("/status");
            HttpResponse<String> wrong = admin.get("/status", "Authorization", "Bearer not-the-token");
            HttpResponse<String> right = admin.get("/status", "Authorization", "Bearer " + TOKEN);

            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(AdminHarness.json(missing).path("error").asString()).isEqualTo("unauthorized");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain("not-the-token");
            assertThat(right.statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @CsvSource({"/metrics", "/sessions", "/history", "/healthz", "/readyz", "/nope"})
    void everyDataCallNeedsTheToken(String path) {
        try (AdminHarness admin = AdminHarness.start(dir, b -> b.token(Optional.of(TOKEN)))) {
            assertThat(admin.get(path).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void mutatingCallWithoutTokenChangesNothingAndIsAudited() {
        try (AuditCapture audit = new AuditCapture();
                AdminHarness admin = AdminHarness.start(dir, b -> b.token(Optional.of(TOKEN)))) {
            HttpResponse<String> refused = admin.post("/ramp?green=50", "Authorization", "Bearer guess");
            HttpResponse<String> statusProbe = admin.get("/status", "Authorization", "Bearer guess2");

            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(admin.control().calls()).isEmpty();
            assertThat(admin.stateFile()).doesNotExist();
            assertThat(statusProbe.statusCode()).isEqualTo(401);
            List<String> logged = audit.lines();
            assertThat(logged).hasSize(2);
            assertThat(logged.get(0))
                    .contains("call=\"POST /ramp\"")
                    .contains("status=401")
                    .doesNotContain("guess");
            assertThat(logged.get(1)).contains("call=\"GET /status\"").contains("status=401");
        }
    }

    @Test
    void dashboardPageLoadsWithoutTheTokenButItsDataDoesNot() {
        try (AdminHarness admin = AdminHarness.start(dir, b -> b.token(Optional.of(TOKEN)))) {
            assertThat(admin.get("/").statusCode()).isEqualTo(200);
            assertThat(admin.get("/ui/app.js").statusCode()).isEqualTo(200);
            assertThat(admin.get("/status").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void loopbackServerWithoutATokenNeedsNone() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            assertThat(admin.get("/status").statusCode()).isEqualTo(200);
            assertThat(admin.post("/ramp?green=5").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void tokenWithSpacesRefusesToStartWithoutPrintingIt() {
        assertThatThrownBy(() -> AdminHarness.start(dir, b -> b.token(Optional.of("two words"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin.token: (hidden)")
                .hasMessageNotContaining("two words");
    }

    // ---------------------------------------------------------------- A1: non-loopback binds

    @Test
    void nonLoopbackListenerWithoutTokenRefusesToStart() {
        assertThatThrownBy(() -> new AdminSettings(new HostPort("0.0.0.0", 0), Optional.empty()))
                .hasMessageContaining("admin.token");

        assertThatThrownBy(() -> AdminHarness.start(
                        dir, b -> b.listen(new HostPort("0.0.0.0", 0)).token(Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin.listen: 0.0.0.0:0 is not a loopback address and admin.token is not set"
                        + " (expected: a token, e.g. TEAL_ADMIN_TOKEN, or a loopback address)");
    }

    @Test
    void nonLoopbackListenerWithTokenServesOnlyWithTheToken() {
        try (AdminHarness admin = AdminHarness.start(
                dir, b -> b.listen(new HostPort("0.0.0.0", 0)).token(Optional.of(TOKEN)))) {
            assertThat(admin.server().localAddress().getAddress().isAnyLocalAddress())
                    .isTrue();
            assertThat(admin.get("/status").statusCode()).isEqualTo(401);
            assertThat(admin.get("/status", "Authorization", "Bearer " + TOKEN).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void serverChecksTheRuleItselfWhenBuiltWithoutAdminSettings() {
        FakeTrafficControl control = new FakeTrafficControl();
        LiveState state = LiveState.open(FileStateStore.open(dir, Clock.systemUTC()), new Split(0), Clock.systemUTC());
        AdminServer.Builder builder = AdminServer.builder(
                        new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()),
                        control,
                        state,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .listen(new HostPort("::", 0));

        assertThatThrownBy(builder::start).hasMessageContaining("is not a loopback address");
    }

    // ---------------------------------------------------------------- A3: cross-site and rebinding

    private static RawHttp.Response raw(AdminHarness admin, String requestLine, String... headers) {
        StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\n");
        boolean hasHost = false;
        for (String header : headers) {
            hasHost |= header.regionMatches(true, 0, "Host:", 0, 5);
            request.append(header).append('\n');
        }
        if (!hasHost) {
            request.append("Host: 127.0.0.1:")
                    .append(admin.server().localAddress().getPort())
                    .append('\n');
        }
        request.append("Content-Length: 0\nConnection: close\n\n");
        return RawHttp.exchange(admin.server().localAddress(), request.toString());
    }

    @Test
    void curlLikeRampWithoutBrowserHeadersIsAccepted() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            RawHttp.Response response = raw(admin, "GET /ramp?green=25", "User-Agent: curl/8.5.0", "Accept: */*");

            assertThat(response.status()).isEqualTo(200);
            assertThat(admin.control().split().green()).isEqualTo(25);
        }
    }

    @Test
    void sameOriginDashboardCallIsAccepted() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            int port = admin.server().localAddress().getPort();
            RawHttp.Response response = raw(
                    admin, "POST /ramp?green=25", "Origin: http://127.0.0.1:" + port, "Sec-Fetch-Site: same-origin");

            assertThat(response.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "POST /ramp?green=100|Origin: https://evil.example|Origin: 'https://evil.example'",
                "POST /ramp?green=100|Origin: null|Origin: 'null'",
                "GET /ramp?green=100|Sec-Fetch-Site: cross-site|Sec-Fetch-Site: 'cross-site'",
                "POST /reload|Sec-Fetch-Site: same-site|Sec-Fetch-Site: 'same-site'",
                "POST /ramp?green=100|Host: evil.example|Host: 'evil.example' is not this admin listener",
                "GET /status|Host: attacker.example:80|Host: 'attacker.example:80' is not this admin listener"
            })
    void browserCallsFromOtherSitesAreForbidden(String requestLine, String header, String detail) {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            RawHttp.Response response = raw(admin, requestLine, header);

            assertThat(response.status()).isEqualTo(403);
            assertThat(AdminHarness.json(response.body()).path("error").asString())
                    .isEqualTo("forbidden");
            assertThat(AdminHarness.json(response.body()).path("detail").asString())
                    .startsWith(detail);
            assertThat(admin.control().calls()).isEmpty();
            assertThat(admin.stateFile()).doesNotExist();
        }
    }

    @Test
    void readsFromAnotherOriginAreNotRefusedByOriginAlone() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            // Reading is harmless without CORS headers: the browser will not hand the answer to the page.
            assertThat(raw(admin, "GET /status", "Origin: https://evil.example").status())
                    .isEqualTo(200);
        }
    }
}
