package dev.teal.admin.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.api.AdminServer;
import dev.teal.admin.state.FileStateStore;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.AuditCapture;
import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.admin.testing.RawHttp;
import dev.teal.config.AdminSettings;
import dev.teal.config.HostPort;
import dev.teal.config.InvalidSettingsException;
import dev.teal.config.SettingsLoader;
import dev.teal.proxy.Split;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Catalogue rows A1–A5 and the admin side of S21: who may call the admin API, and what it does with bad
 * input, over real sockets.
 */
class AdminApiIT {
    private static final String TOKEN = "s3cret-admin-token";

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- A2: token

    @Test
    @DisplayName("A2 wrong or missing token: 401, the token never echoed")
    void a2_refusesAMissingOrWrongTokenWith401() {
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
    @DisplayName("A2 every data call needs the token")
    void a2_everyDataCallNeedsTheToken(String path) {
        try (AdminHarness admin = AdminHarness.start(dir, b -> b.token(Optional.of(TOKEN)))) {
            assertThat(admin.get(path).statusCode()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("A2 a refused call changes nothing and is audited, without the token it tried")
    void a2_auditsARefusedCallAndChangesNothing() {
        try (AuditCapture audit = new AuditCapture();
                AdminHarness admin = AdminHarness.start(dir, b -> b.token(Optional.of(TOKEN)))) {
            HttpResponse<String> refused = admin.post("/ramp?green=50", "Authorization", "Bearer guess");
            HttpResponse<String> statusProbe = admin.get("/status", "Authorization", "Bearer guess2");

            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(admin.control().calls()).isEmpty();
            assertThat(admin.stateFile()).doesNotExist();
            assertThat(statusProbe.statusCode()).isEqualTo(401);
            List<Map<String, Object>> logged = audit.fields();
            assertThat(logged).hasSize(2);
            assertThat(logged.get(0)).containsEntry("call", "POST /ramp").containsEntry("status", 401);
            assertThat(logged.get(0).toString() + audit.lines()).doesNotContain("guess");
            assertThat(logged.get(1)).containsEntry("call", "GET /status").containsEntry("status", 401);
        }
    }

    @Test
    @DisplayName("A2 the dashboard page loads without the token, its data does not")
    void a2_servesTheDashboardPageButNotItsDataWithoutTheToken() {
        try (AdminHarness admin = AdminHarness.start(dir, b -> b.token(Optional.of(TOKEN)))) {
            assertThat(admin.get("/").statusCode()).isEqualTo(200);
            assertThat(admin.get("/ui/app.js").statusCode()).isEqualTo(200);
            assertThat(admin.get("/status").statusCode()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("A1 a loopback bind needs no token")
    void a1_startsWithoutATokenOnLoopback() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            assertThat(admin.get("/status").statusCode()).isEqualTo(200);
            assertThat(admin.post("/ramp?green=5").statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("A1 a malformed token refuses to start, without printing it")
    void a1_refusesAMalformedTokenWithoutPrintingIt() {
        assertThatThrownBy(() -> AdminHarness.start(dir, b -> b.token(Optional.of("two words"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin.token: (hidden)")
                .hasMessageNotContaining("two words");
    }

    // ---------------------------------------------------------------- A1: non-loopback binds

    @Test
    @DisplayName("A1 non-loopback bind without a token: refuses to start")
    void a1_refusesToStartOnANonLoopbackAddressWithoutAToken() {
        assertThatThrownBy(() -> new AdminSettings(new HostPort("0.0.0.0", 0), Optional.empty()))
                .hasMessageContaining("admin.token");

        assertThatThrownBy(() -> AdminHarness.start(
                        dir, b -> b.listen(new HostPort("0.0.0.0", 0)).token(Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin.listen: 0.0.0.0:0 is not a loopback address and admin.token is not set"
                        + " (expected: a token, e.g. TEAL_ADMIN_TOKEN, or a loopback address)");
    }

    @Test
    @DisplayName("A1 non-loopback bind with a token: serves only with it")
    void a1_servesANonLoopbackBindOnlyWithTheToken() {
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
    @DisplayName("A1 the server checks the bind rule itself, not only the settings")
    void a1_checksTheBindRuleInTheServerToo() {
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
    @DisplayName("A3 curl (no Origin, no Sec-Fetch-Site) is unaffected")
    void a3_acceptsCurlWithoutBrowserHeaders() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            RawHttp.Response response = raw(admin, "GET /ramp?green=25", "User-Agent: curl/8.5.0", "Accept: */*");

            assertThat(response.status()).isEqualTo(200);
            assertThat(admin.control().split().green()).isEqualTo(25);
        }
    }

    @Test
    @DisplayName("A3 the dashboard's own same-origin call is accepted")
    void a3_acceptsTheDashboardsOwnSameOriginCall() {
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
    @DisplayName("A3 a mutating call from another origin or cross-site, or a foreign Host (DNS rebinding): 403")
    void a3_forbidsMutatingCallsFromOtherSitesAndForeignHosts(String requestLine, String header, String detail) {
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
    @DisplayName("A3 reads from another origin are not refused by Origin alone")
    void a3_letsAnotherOriginReadWithoutCors() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            // Reading is harmless without CORS headers: the browser will not hand the answer to the page.
            assertThat(raw(admin, "GET /status", "Origin: https://evil.example").status())
                    .isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- A5: foreign Referer, navigations

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "GET /ramp?green=12|Referer: http://evil.example/|Referer: 'http://evil.example/'",
                "POST /ramp?green=12|Referer: https://evil.example/page?x=1|Referer: 'https://evil.example/page",
                "GET /ramp?green=12|Referer: http://127.0.0.1@evil.example/|Referer: 'http://127.0.0.1@evil",
                "GET /ramp?green=12|Referer: not a url|Referer: 'not a url'",
                "POST /reload|Referer: http://localhost:1/|Referer: 'http://localhost:1/'",
                "GET /ramp?green=12|Sec-Fetch-Mode: navigate|Sec-Fetch-Mode: 'navigate'",
            })
    @DisplayName("A5 a change with another origin's Referer, or reached by a browser navigation: 403 saying why")
    void a5_forbidsChangesWithAForeignRefererOrFromANavigation(String requestLine, String header, String detail) {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            RawHttp.Response response = raw(admin, requestLine, header);

            assertThat(response.status()).isEqualTo(403);
            assertThat(AdminHarness.json(response.body()).path("detail").asString())
                    .startsWith(detail);
            assertThat(admin.control().calls()).isEmpty();
            assertThat(admin.stateFile()).doesNotExist();
        }
    }

    @Test
    @DisplayName("A5 a same-origin navigation by link is refused too; a typed address (Sec-Fetch-Site: none) is not")
    void a5_refusesNavigationsExceptTypedOnes() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            int port = admin.server().localAddress().getPort();
            RawHttp.Response linked = raw(
                    admin,
                    "GET /ramp?green=12",
                    "Sec-Fetch-Mode: navigate",
                    "Sec-Fetch-Site: same-origin",
                    "Referer: http://127.0.0.1:" + port + "/");
            assertThat(linked.status()).isEqualTo(403);
            assertThat(admin.control().calls()).isEmpty();

            RawHttp.Response typed =
                    raw(admin, "GET /ramp?green=12", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Site: none");
            assertThat(typed.status()).isEqualTo(200);
            assertThat(admin.control().split().green()).isEqualTo(12);
        }
    }

    @Test
    @DisplayName("A5 curl (no Referer) and the dashboard's own page as Referer are unaffected")
    void a5_acceptsCurlAndTheDashboardsOwnReferer() {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            int port = admin.server().localAddress().getPort();
            assertThat(raw(admin, "GET /ramp?green=25", "User-Agent: curl/8.5.0")
                            .status())
                    .isEqualTo(200);
            assertThat(raw(
                                    admin,
                                    "POST /ramp?green=30",
                                    "Referer: http://127.0.0.1:" + port + "/",
                                    "Origin: http://127.0.0.1:" + port,
                                    "Sec-Fetch-Mode: cors",
                                    "Sec-Fetch-Site: same-origin")
                            .status())
                    .isEqualTo(200);
            assertThat(admin.control().split().green()).isEqualTo(30);
            // Reads stay open to any Referer: without CORS headers the page cannot see the answer.
            assertThat(raw(admin, "GET /status", "Referer: http://evil.example/")
                            .status())
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "A4 /ramp?{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "green=abc|green: 'abc' (expected: an integer 0-100)",
                "green=101|green: 101 (expected: an integer 0-100)",
                "green=-1|green: '-1' (expected: an integer 0-100)",
                "green=2.5|green: '2.5' (expected: an integer 0-100)",
                "green=|green: '' (expected: an integer 0-100)",
                "green=+5|green: ' 5' (expected: an integer 0-100)",
                "green=99999999999|green: '99999999999' (expected: an integer 0-100)",
                "blue=1000|blue: 1000 (expected: an integer 0-100)",
                "green=10&blue=90|green, blue: both given (expected: exactly one of green=N or blue=N, N 0-100)",
                "''|green: (missing) (expected: exactly one of green=N or blue=N, N 0-100)",
                "dry-run=true|green: (missing) (expected: exactly one of green=N or blue=N",
                "colour=5|'colour': unknown parameter (expected: green, blue, dry-run, force, next-release, wait, wait-timeout)",
                "green=5&token=x|'token': unknown parameter (expected: green, blue, dry-run, force, next-release, wait, wait-timeout)",
                "green=5&green=6|green: given 2 times (expected: at most once)",
                "green=5&dry-run=yes|dry-run: 'yes' (expected: true or false)",
                "green=5&force=1|force: '1' (expected: true or false)",
                "green=5&dry-run|dry-run: '' (expected: true or false)",
                "green=50&force=true|force: true with green 50 (expected: force only with a ramp to 0 or 100"
            })
    @DisplayName(
            "A4 bad parameters (non-numeric, out of range, unknown, both colors): 400 naming the parameter, state unchanged")
    void a4_refusesBadRampParametersNamingThemAndChangesNothing(String query, String detail) throws IOException {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            refusesAndChangesNothing(admin, "/ramp?" + query, detail);
        }
    }

    @ParameterizedTest(name = "A4 {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/sessions?limit=abc|limit: 'abc' (expected: an integer 1-1000)",
                "/sessions?limit=0|limit: 0 (expected: an integer 1-1000)",
                "/sessions?color=purple|color: 'purple' (expected: blue or green)",
                "/sessions?colour=blue|'colour': unknown parameter (expected: color, limit)",
                "/history?since=1|'since': unknown parameter (expected: no parameters)"
            })
    @DisplayName("A4 bad parameters of the other endpoints: 400 naming the parameter")
    void a4_refusesBadParametersOfTheReadingEndpoints(String target, String detail) throws IOException {
        try (AdminHarness admin = AdminHarness.start(dir)) {
            refusesAndChangesNothing(admin, target, detail);
        }
    }

    private static void refusesAndChangesNothing(AdminHarness admin, String target, String detail) throws IOException {
        admin.post("/ramp?green=10");
        byte[] stored = Files.readAllBytes(admin.stateFile());
        List<String> calls = admin.control().calls();

        HttpResponse<String> response = target.startsWith("/ramp") ? admin.post(target) : admin.get(target);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = AdminHarness.json(response);
        assertThat(body.path("error").asString()).isEqualTo("bad request");
        assertThat(body.path("detail").asString()).contains(detail);
        assertThat(body.properties()).hasSize(2);
        assertThat(Files.readAllBytes(admin.stateFile())).isEqualTo(stored);
        assertThat(admin.control().calls()).isEqualTo(calls);
        assertThat(AdminHarness.json(admin.get("/status"))
                        .path("split")
                        .path("green")
                        .asInt())
                .isEqualTo(10);
    }

    @ParameterizedTest(name = "S21 {0}")
    @ValueSource(
            strings = {
                "POST /ramp?green=5%0d%0aSet-Cookie:%20x=1",
                "POST /ramp?gr%0d%0aeen=5",
                "GET /sessions?color=blue%0d%0aX-Injected:%201",
                "GET /nope%0d%0aX-Injected:%201",
                "POST /phases/a%0d%0aX-Injected:1/run",
                "PUT /ramp?green=5%0aX-Injected:1"
            })
    @DisplayName("S21 CR/LF in admin input (query, path): never in a response header, refused or escaped")
    void s21_neverWritesAdminInputIntoAResponseHeader(String requestLine) {
        try (AdminHarness admin = AdminHarness.start(dir, b -> b.token(Optional.of(TOKEN)))) {
            for (String auth :
                    List.of("Authorization: Bearer " + TOKEN, "Authorization: Bearer wrong%0d%0aX-Injected: 1")) {
                RawHttp.Response response = raw(admin, requestLine, auth);
                assertThat(response.status()).isBetween(400, 499);
                assertThat(response.headers().keySet())
                        .map(String::toLowerCase)
                        .isSubsetOf(
                                "content-type",
                                "content-length",
                                "cache-control",
                                "x-content-type-options",
                                "connection",
                                "allow",
                                "www-authenticate");
                String head = response.raw().substring(0, response.raw().indexOf("\r\n\r\n"));
                assertThat(head.toLowerCase()).doesNotContain("\nx-injected").doesNotContain("set-cookie");
            }
            assertThat(admin.control().calls()).isEmpty();
        }
    }

    @ParameterizedTest(name = "S21 {0}")
    @ValueSource(
            strings = {
                "forwarding.via-name = \"teal\\r\\nX-Injected: 1\"",
                "sessions.cookie.name = \"teal\\r\\nX-Injected: 1\"",
                "sessions.app-cookie = \"JSESSIONID\\nX: 1\"",
                "sessions.header = \"X-Token\\r\\n\""
            })
    @DisplayName("S21 CR/LF in settings that teal writes into headers: refused when the settings are loaded")
    void s21_refusesLineBreaksInSettingsThatEndUpInHeaders(String setting) {
        String conf = "teal { colors.blue.backends = [\"127.0.0.1:9\"], colors.green.backends = [\"127.0.0.1:9\"], "
                + setting + " }";
        assertThatThrownBy(() -> SettingsLoader.parse(conf, Map.of())).isInstanceOf(InvalidSettingsException.class);
    }
}
