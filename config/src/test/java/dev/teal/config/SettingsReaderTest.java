package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the readers report for invalid settings, through {@link SettingsLoader#parse}. */
class SettingsReaderTest {
    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                row(
                        "teal.colors.green.backends = []",
                        "teal.colors.green.backends: [] (expected: at least one host:port)"),
                row(
                        "teal.colors.blue.backends = \"10.0.0.11:8080\"",
                        "teal.colors.blue.backends: \"10.0.0.11:8080\" (expected: a list of host:port, such as"
                                + " [\"10.0.0.11:8080\"])"),
                row(
                        "teal.colors.blue.backends = [\"10.0.0.11:8080\", \"http://10.0.0.11:8080/\"]",
                        "teal.colors.blue.backends[1]: \"http://10.0.0.11:8080/\" (expected: each backend once;"
                                + " 10.0.0.11:8080 is already listed)"),
                row(
                        "teal.colors.blue.backends = [\"https://10.0.0.11:8443\"]",
                        "teal.colors.blue.backends[0]: \"https://10.0.0.11:8443\" (expected: host:port, http://host:port,"
                                + " dns://name:port or dns+srv://_service._tcp.name (other schemes, https:// included,"
                                + " are not supported yet))"),
                row(
                        "teal.colors.blue.backends = [\"10.0.0.11:0\"]",
                        "teal.colors.blue.backends[0]: \"10.0.0.11:0\" (expected: host:port with a port 1-65535 (0 is"
                                + " for listeners only), such as 10.0.0.11:8080)"),
                row(
                        "teal.colors.blue.backends = [{ host = a }]",
                        "teal.colors.blue.backends[0]: {\"host\":\"a\"} (expected: host:port or http://host:port,"
                                + " such as 10.0.0.11:8080)"),
                row("teal.split.green = 140", "teal.split.green: 140 (expected: an integer percentage 0-100)"),
                row("teal.split.green = 2.5", "teal.split.green: 2.5 (expected: an integer percentage 0-100)"),
                row(
                        "teal.split.green = \"half\"",
                        "teal.split.green: \"half\" (expected: an integer percentage 0-100)"),
                row(
                        "teal.timeouts.upstream-connect = -5s",
                        "teal.timeouts.upstream-connect: -5s (expected: a positive duration such as 3s)"),
                row(
                        "teal.timeouts.request-head = 10",
                        "teal.timeouts.request-head: 10 (expected: a positive duration such as 3s)"),
                row(
                        "teal.timeouts.keep-alive-idle = 0s",
                        "teal.timeouts.keep-alive-idle: 0s (expected: a positive duration such as 3s)"),
                row(
                        "teal.shutdown.drain-timeout = off",
                        "teal.shutdown.drain-timeout: off (expected: a positive duration such as 3s)"),
                row(
                        "teal.drain.max-wait = forever",
                        "teal.drain.max-wait: forever (expected: a positive duration such as 3s, or off)"),
                row(
                        "teal.listen = \"0.0.0.0:http\"",
                        "teal.listen: \"0.0.0.0:http\" (expected: host:port with a numeric port 0-65535, such as"
                                + " 0.0.0.0:8080)"),
                row(
                        "teal.listen = \"::1:8080\"",
                        "teal.listen: \"::1:8080\" (expected: host:port with brackets around an IPv6 host, such as"
                                + " [::1]:8080)"),
                row("teal.listen = null", "teal.listen: null (expected: host:port, such as 0.0.0.0:8080)"),
                row(
                        "teal.hosts = [\"shop.example\", \"a b\"]",
                        "teal.hosts[1]: \"a b\" (expected: a list of host names, *.names or IP literals, optionally"
                                + " with :port, such as [\"shop.example.com\", \"*.shop.example.com\"])"),
                row(
                        "teal.hosts = [\"*.\"]",
                        "teal.hosts[0]: \"*.\" (expected: a list of host names, *.names or IP literals, optionally"
                                + " with :port, such as [\"shop.example.com\", \"*.shop.example.com\"])"),
                row(
                        "teal.hosts = [\"shop.example:0\"]",
                        "teal.hosts[0]: \"shop.example:0\" (expected: a list of host names, *.names or IP literals,"
                                + " optionally with :port, such as [\"shop.example.com\", \"*.shop.example.com\"])"),
                row(
                        "teal.limits.max-connections = lots",
                        "teal.limits.max-connections: \"lots\" (expected: an integer >= 1, or auto)"),
                row(
                        "teal.limits.max-header-name = 0",
                        "teal.limits.max-header-name: 0 (expected: a size of at least 1 byte and below 2GiB, such as"
                                + " 256)"),
                row(
                        "teal.colrs { blue.backends = [\"10.0.0.1:80\"] }",
                        "teal.colrs: unknown setting (expected one of: listen, tls, hosts, state-dir, colors, split, sessions,"
                                + " drain, limits, timeouts, upstream, discovery, forwarding, access-log, shutdown, transport,"
                                + " rollout, admin, cluster)"),
                row(
                        "teal.colors.red.backends = [\"10.0.0.1:80\"]",
                        "teal.colors.red: unknown setting (expected one of: blue, green)"),
                row(
                        "teal.timeouts.upstream-conect = 3s",
                        "teal.timeouts.upstream-conect: unknown setting (expected one of: request-head,"
                                + " keep-alive-idle, client-body-idle, client-send-idle, upstream-connect,"
                                + " upstream-response, upstream-idle)"),
                row(
                        "teal.colors.blue.health-check.pth = \"/health\"",
                        "teal.colors.blue.health-check.pth: unknown setting (expected one of: path, interval,"
                                + " timeout, healthy-threshold, unhealthy-threshold)"),
                row("teal.timeouts = 5", "teal.timeouts: 5 (expected: an object of settings: { ... })"),
                row(
                        "teal.limits.max-header-count = \"lots\"",
                        "teal.limits.max-header-count: \"lots\" (expected: an integer >= 1)"),
                row(
                        "teal.limits.max-body-size = 10 parsecs",
                        "teal.limits.max-body-size: 10 parsecs (expected: a size such as 100MiB, or 0 for no limit)"),
                row(
                        "teal.limits.max-request-line = 10",
                        "teal.limits.max-request-line: 10 (expected: a size of at least 64 bytes and below 2GiB,"
                                + " such as 8KiB)"),
                row(
                        "teal.limits.max-header-size = 4GiB",
                        "teal.limits.max-header-size: 4GiB (expected: a size of at least 256 bytes and below 2GiB,"
                                + " such as 16KiB)"),
                row(
                        "teal.sessions.key = cokie",
                        "teal.sessions.key: \"cokie\" (expected one of: cookie, app-cookie, header, source-address)"),
                row(
                        "teal.sessions.cookie.secure = sometimes",
                        "teal.sessions.cookie.secure: \"sometimes\" (expected one of: auto, always, never)"),
                row(
                        "teal.transport.kind = io_uring",
                        "teal.transport.kind: \"io_uring\" (expected one of: auto, epoll, nio)"),
                row(
                        "teal.transport.event-loop-threads = -1",
                        "teal.transport.event-loop-threads: -1 (expected: an integer 0-4096 (0: one per core))"),
                row("teal.access-log = maybe", "teal.access-log: \"maybe\" (expected: true or false)"),
                row(
                        "teal.sessions.trusted-proxies = [\"10.0.0.0/33\"]",
                        "teal.sessions.trusted-proxies[0]: \"10.0.0.0/33\" (expected: a prefix length 0-32 after the"
                                + " slash, such as 10.0.0.0/8)"),
                row(
                        "teal.sessions.trusted-proxies = [\"proxy.internal\"]",
                        "teal.sessions.trusted-proxies[0]: \"proxy.internal\" (expected: an IP address or a CIDR"
                                + " block, such as 10.0.0.0/8 or fd00::/8)"),
                row(
                        "teal.sessions.cookie.name = \"my cookie\"",
                        "teal.sessions.cookie.name: \"my cookie\" (expected: a cookie name (an RFC 6265 token, no"
                                + " spaces or separators) such as teal)"),
                row(
                        "teal.sessions.app-cookie = \"a=b\"",
                        "teal.sessions.app-cookie: \"a=b\" (expected: a cookie name (an RFC 6265 token, no spaces or"
                                + " separators) such as JSESSIONID)"),
                row("teal.sessions.max-tracked = 10", "teal.sessions.max-tracked: 10 (expected: an integer from 1000)"),
                row(
                        "teal.sessions.header = \"X Api\"",
                        "teal.sessions.header: \"X Api\" (expected: a header name (an RFC 9110 token) such as"
                                + " Authorization)"),
                row(
                        "teal.sessions.cookie.secrets = [\"short\"]",
                        "teal.sessions.cookie.secrets[0]: (hidden, 5 characters) (expected: a secret of at least 32"
                                + " characters)"),
                row(
                        "teal.admin.listen = \"0.0.0.0:9901\"",
                        "teal.admin.token: (none) (expected: a token, since admin.listen 0.0.0.0:9901 is not a"
                                + " loopback address; set TEAL_ADMIN_TOKEN, or listen on 127.0.0.1)"),
                row(
                        "teal.admin.listen = \"127.0.0.1:8080\"",
                        "teal.admin.listen: \"127.0.0.1:8080\" (expected: a port other than teal.listen's"
                                + " (0.0.0.0:8080), or another address)"),
                row(
                        "teal.admin.token = \"\"",
                        "teal.admin.token: (hidden, 0 characters) (expected: a non-empty token of visible ASCII"
                                + " characters)"),
                row(
                        "teal.colors.blue.health-check.path = health",
                        "teal.colors.blue.health-check.path: \"health\" (expected: an absolute path of visible ASCII"
                                + " such as /health, or \"\" for no active checks)"),
                row(
                        "teal.colors.blue.health-check.healthy-threshold = 0",
                        "teal.colors.blue.health-check.healthy-threshold: 0 (expected: an integer >= 1)"),
                row(
                        "teal.upstream.passive-health.max-ejection = 1s",
                        "teal.upstream.passive-health.max-ejection: 1s (expected: a duration >= base-ejection (5s))"),
                row(
                        "teal.forwarding.via-name = \"my proxy\"",
                        "teal.forwarding.via-name: \"my proxy\" (expected: a token (no spaces, commas or separators)"
                                + " such as teal)"),
                row("teal = 5", "teal: 5 (expected: an object of settings: { ... })"),
                row("teal.state-dir = \"\"", "teal.state-dir: \"\" (expected: a directory such as ./teal-state)"));
    }

    private static Arguments row(String hocon, String problem) {
        return Arguments.of(hocon, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void reportsTheProblemWithPathValueAndExpectation(String hocon, String problem) {
        InvalidSettingsException e = TestSettings.invalid(TestSettings.MINIMAL + hocon, Map.of());

        assertThat(e.problems()).containsExactly(problem);
        assertThat(e.getMessage()).contains(problem);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        InvalidSettingsException e = TestSettings.invalid(TestSettings.MINIMAL + """
                        teal.colors.green.backends = []
                        teal.split.green = 140
                        teal.timeouts.upstream-connect = -5s
                        teal.listen = "0.0.0.0:http"
                        teal.colrs = {}
                        teal.limits.max-header-count = many
                        """, Map.of());

        assertThat(e.problems())
                .hasSize(6)
                .anySatisfy(p -> assertThat(p).startsWith("teal.colors.green.backends: []"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.split.green: 140"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.timeouts.upstream-connect: -5s"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.listen: \"0.0.0.0:http\""))
                .anySatisfy(p -> assertThat(p).startsWith("teal.colrs: unknown setting"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.limits.max-header-count: \"many\""));
        assertThat(e.getMessage())
                .startsWith("invalid settings (6 problems):\n  ")
                .hasLineCount(7);
    }

    @Test
    void reportsEachBadBackendAndEachBadSecret() {
        InvalidSettingsException e = TestSettings.invalid(TestSettings.MINIMAL + """
                        teal.colors.blue.backends = ["a:1", "b", "a:1", "c:99999"]
                        teal.sessions.cookie.secrets = ["tiny", "also-too-short"]
                        """, Map.of());

        assertThat(e.problems())
                .containsExactly(
                        "teal.colors.blue.backends[1]: \"b\" (expected: host:port, such as 0.0.0.0:8080,"
                                + " app.internal:8080 or [::1]:8080)",
                        "teal.colors.blue.backends[2]: \"a:1\" (expected: each backend once; a:1 is already listed)",
                        "teal.colors.blue.backends[3]: \"c:99999\" (expected: host:port with a numeric port 0-65535, such as"
                                + " 0.0.0.0:8080)",
                        "teal.sessions.cookie.secrets[0]: (hidden, 4 characters) (expected: a secret of at least 32"
                                + " characters)",
                        "teal.sessions.cookie.secrets[1]: (hidden, 14 characters) (expected: a secret of at least 32"
                                + " characters)");
    }

    @Test
    void neverPrintsASecret() {
        InvalidSettingsException e = TestSettings.invalid(
                TestSettings.MINIMAL + "teal.sessions.cookie.secrets = [\"hunter2\", { s = \"hunter3\" }]",
                Map.of("TEAL_ADMIN_TOKEN", "pass word"));

        assertThat(e.problems())
                .containsExactly(
                        "teal.sessions.cookie.secrets[0]: (hidden, 7 characters) (expected: a secret of at least 32"
                                + " characters)",
                        "teal.sessions.cookie.secrets[1]: (hidden object) (expected: a secret of at least 32"
                                + " characters)",
                        "teal.admin.token: (hidden, 9 characters) from environment variable TEAL_ADMIN_TOKEN"
                                + " (expected: a non-empty token of visible ASCII characters)");
        assertThat(e.getMessage()).doesNotContain("hunter").doesNotContain("pass word");
    }
}
