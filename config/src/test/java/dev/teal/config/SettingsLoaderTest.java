package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import dev.teal.config.SessionSettings.CookieSettings;
import dev.teal.config.SessionSettings.KeyKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    private static final String SECRET = "0123456789abcdef-0123456789abcdef-secret";

    @Test
    void loadsTheMinimalFileWithEveryDefault() throws Exception {
        TealSettings settings = SettingsLoader.parse(TestSettings.MINIMAL, Map.of());

        assertThat(settings.listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(settings.stateDir()).isEqualTo(Path.of("./teal-state"));
        assertThat(settings.color(Color.BLUE).backends())
                .containsExactly(Backend.parse("10.0.0.11:8080"), Backend.parse("10.0.0.12:8080"));
        assertThat(settings.color(Color.BLUE).healthCheck())
                .isEqualTo(new HealthCheckSettings(
                        Optional.of("/health"), Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3));
        assertThat(settings.color(Color.GREEN).backends()).containsExactly(Backend.parse("10.0.1.11:8080"));
        assertThat(settings.color(Color.GREEN).healthCheck().enabled()).isFalse();
        assertThat(settings.initialGreenPercent()).isZero();
        assertThat(settings.sessions())
                .isEqualTo(new SessionSettings(
                        KeyKind.COOKIE,
                        new CookieSettings("teal", List.of(), CookieSettings.Secure.AUTO, Optional.empty()),
                        "JSESSIONID",
                        "Authorization",
                        Duration.ofMinutes(30),
                        List.of()));
        assertThat(settings.drainMaxWait()).isEmpty();
        assertThat(settings.limits())
                .isEqualTo(new LimitSettings(8192, 16384, 256, 100, 100L << 20, 10000, 10000, true));
        assertThat(settings.timeouts())
                .isEqualTo(new TimeoutSettings(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60)));
        assertThat(settings.upstream())
                .isEqualTo(new UpstreamSettings(
                        64,
                        Duration.ofSeconds(30),
                        new PassiveHealthSettings(5, Duration.ofSeconds(5), Duration.ofMinutes(2))));
        assertThat(settings.forwarding()).isEqualTo(new ForwardingSettings(true, false, true, "teal", true));
        assertThat(settings.accessLog()).isFalse();
        assertThat(settings.shutdownDrainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.transport()).isEqualTo(new TransportSettings(TransportSettings.Kind.AUTO, 0));
        assertThat(settings.admin()).isEqualTo(new AdminSettings(new HostPort("127.0.0.1", 9901), Optional.empty()));
    }

    @Test
    void readsEverySettingTheOperatorWrites() throws Exception {
        TealSettings settings = SettingsLoader.parse(TestSettings.MINIMAL + """
                        teal {
                          state-dir = "/var/lib/teal"
                          colors.green.health-check { path = "/ready?full=1", interval = 1s, timeout = 500ms,
                            healthy-threshold = 1, unhealthy-threshold = 10 }
                          split.green = 25
                          sessions {
                            key = source-address
                            cookie { name = "pin", secrets = ["%s", "0123456789abcdef-0123456789abcdef-old"], secure = always,
                              max-age = 7d }
                            app-cookie = "PHPSESSID"
                            header = "X-Api-Key"
                            idle-timeout = 2h
                            trusted-proxies = ["10.0.0.0/8", "192.168.1.10", "fd00::/8"]
                          }
                          drain.max-wait = 4h
                          limits { max-request-line = 4KiB, max-header-size = 32KiB, max-header-count = 50,
                            max-body-size = 0, max-connections = 20, max-requests-per-connection = "7" }
                          upstream { max-idle-per-backend = 0, passive-health.max-ejection = 5s }
                          forwarding { x-forwarded = false, forwarded = true, via = off, via-name = edge-1,
                            drop-underscore-headers = no }
                          access-log = on
                          shutdown.drain-timeout = 1m
                          transport { kind = nio, event-loop-threads = 1 }
                          admin { listen = "[::1]:9000", token = "t0ken" }
                        }
                        """.formatted(SECRET), Map.of());

        assertThat(settings.stateDir()).isEqualTo(Path.of("/var/lib/teal"));
        assertThat(settings.color(Color.GREEN).healthCheck())
                .isEqualTo(new HealthCheckSettings(
                        Optional.of("/ready?full=1"), Duration.ofSeconds(1), Duration.ofMillis(500), 1, 10));
        assertThat(settings.initialGreenPercent()).isEqualTo(25);
        assertThat(settings.sessions())
                .isEqualTo(new SessionSettings(
                        KeyKind.SOURCE_ADDRESS,
                        new CookieSettings(
                                "pin",
                                List.of(SECRET, "0123456789abcdef-0123456789abcdef-old"),
                                CookieSettings.Secure.ALWAYS,
                                Optional.of(Duration.ofDays(7))),
                        "PHPSESSID",
                        "X-Api-Key",
                        Duration.ofHours(2),
                        List.of("10.0.0.0/8", "192.168.1.10", "fd00::/8")));
        assertThat(settings.drainMaxWait()).contains(Duration.ofHours(4));
        assertThat(settings.limits()).isEqualTo(new LimitSettings(4096, 32768, 256, 50, 0, 20, 7, false));
        assertThat(settings.upstream().maxIdlePerBackend()).isZero();
        assertThat(settings.upstream().passiveHealth().maxEjection()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.forwarding()).isEqualTo(new ForwardingSettings(false, true, false, "edge-1", false));
        assertThat(settings.accessLog()).isTrue();
        assertThat(settings.shutdownDrainTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.transport()).isEqualTo(new TransportSettings(TransportSettings.Kind.NIO, 1));
        assertThat(settings.admin()).isEqualTo(new AdminSettings(new HostPort("::1", 9000), Optional.of("t0ken")));
    }

    @Test
    void environmentVariablesOverrideTheOperatorsFile() throws Exception {
        TealSettings settings = SettingsLoader.parse(
                TestSettings.MINIMAL + """
                        teal.sessions.cookie.secrets = ["from-the-file-0123456789-0123456789"]
                        teal.admin.listen = "127.0.0.1:9999"
                        teal.state-dir = /from/the/file
                        """,
                Map.of(
                        "TEAL_LISTEN", "127.0.0.1:18080",
                        "TEAL_STATE_DIR", "/from/the/environment",
                        "TEAL_COOKIE_SECRET", SECRET,
                        "TEAL_ADMIN_LISTEN", "0.0.0.0:19901",
                        "TEAL_ADMIN_TOKEN", "s3cret-token"));

        assertThat(settings.listen()).isEqualTo(new HostPort("127.0.0.1", 18080));
        assertThat(settings.stateDir()).isEqualTo(Path.of("/from/the/environment"));
        assertThat(settings.sessions().cookie().secrets()).containsExactly(SECRET);
        assertThat(settings.admin().listen()).isEqualTo(new HostPort("0.0.0.0", 19901));
        assertThat(settings.admin().token()).contains("s3cret-token");
    }

    @Test
    void environmentVariablesApplyWithoutAnOperatorsFile() throws Exception {
        InvalidSettingsException e = catchThrowableOfType(
                () -> SettingsLoader.load(
                        Optional.empty(), Map.of("TEAL_LISTEN", "127.0.0.1:1", "TEAL_COOKIE_SECRET", "short")),
                InvalidSettingsException.class);

        // Without a file there are no backends, so it fails; but the environment's values were read.
        assertThat(e.problems())
                .containsExactly(
                        "teal.colors.blue.backends: [] (expected: at least one host:port)",
                        "teal.colors.green.backends: [] (expected: at least one host:port)",
                        "teal.sessions.cookie.secrets[0]: (hidden, 5 characters) from environment variable"
                                + " TEAL_COOKIE_SECRET (expected: a secret of at least 32 characters)");
    }

    @Test
    void aTokenFromTheEnvironmentAllowsANonLoopbackAdminListener() throws Exception {
        String hocon = TestSettings.MINIMAL + "teal.admin.listen = \"0.0.0.0:9901\"";

        TealSettings settings = SettingsLoader.parse(hocon, Map.of("TEAL_ADMIN_TOKEN", "s3cret-token"));

        assertThat(settings.admin().token()).contains("s3cret-token");
        assertThat(settings.admin().toString()).doesNotContain("s3cret-token");
    }

    @Test
    void namesTheEnvironmentVariableABadValueCameFrom() {
        InvalidSettingsException e = TestSettings.invalid(TestSettings.MINIMAL, Map.of("TEAL_LISTEN", "localhost"));

        assertThat(e.problems())
                .containsExactly("teal.listen: \"localhost\" from environment variable TEAL_LISTEN (expected:"
                        + " host:port, such as 0.0.0.0:8080, app.internal:8080 or [::1]:8080)");
    }

    @Test
    void resolvesTheOperatorsSubstitutionsFromTheGivenEnvironmentOnly() throws Exception {
        String hocon = TestSettings.MINIMAL + """
                teal.split.green = ${?GREEN_PERCENT}
                teal.colors.green.health-check.path = ${?PATH}
                """;

        TealSettings settings = SettingsLoader.parse(hocon, Map.of("GREEN_PERCENT", "30"));

        assertThat(settings.initialGreenPercent()).isEqualTo(30);
        // PATH is set in the process's environment, but not in the map given.
        assertThat(settings.color(Color.GREEN).healthCheck().path()).isEmpty();
    }

    @Test
    void reportsASubstitutionThatDoesNotResolve() {
        InvalidSettingsException e =
                TestSettings.invalid(TestSettings.MINIMAL + "teal.listen = ${LISTEN_ADDRESS}", Map.of());

        assertThat(e.problems())
                .containsExactly("settings text: 9: Could not resolve substitution to a value: ${LISTEN_ADDRESS}"
                        + " (expected: an environment variable or a setting of that name; ${?NAME} may be unset)");
    }

    @Test
    void reportsASyntaxErrorWithItsLine() {
        InvalidSettingsException e =
                TestSettings.invalid("teal {\n  listen = \"0.0.0.0:8080\"\n  split.green = = 3\n}\n", Map.of());

        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith("settings text: 3: Expecting a value but got wrong token: '='")
                .endsWith("(expected: valid HOCON)");
    }

    @Test
    void saysAClosingBraceIsMissingWhereTypesafeConfigSaysParentheses() {
        InvalidSettingsException e = TestSettings.invalid(
                "teal {\n  listen = \"0.0.0.0:8080\"\n  colors {\n    blue { backends = [\"a:1\"] }\n", Map.of());

        assertThat(e.problems())
                .singleElement()
                .asString()
                .contains("a closing '}' is missing before the end of the file")
                .doesNotContain("parentheses")
                .endsWith("(expected: valid HOCON)");
    }

    @Test
    void warnsAboutABackendInBothColorsAndOnlyAboutThat() throws Exception {
        TealSettings shared = SettingsLoader.parse("""
                teal.colors {
                  blue  { backends = ["10.0.0.1:8080", "10.0.0.2:8080"] }
                  green { backends = ["10.0.0.2:8080"] }
                }
                """, Map.of());
        TealSettings apart = SettingsLoader.parse("""
                teal.colors {
                  blue  { backends = ["10.0.0.1:8080"] }
                  green { backends = ["10.0.0.2:8080"] }
                }
                """, Map.of());

        assertThat(shared.warnings())
                .singleElement()
                .asString()
                .startsWith("teal.colors: 10.0.0.2:8080 is a backend of both blue and green");
        assertThat(apart.warnings()).isEmpty();
    }

    @Test
    void theFileOverridesTheReference(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("teal.conf");
        Files.writeString(file, TestSettings.MINIMAL + "teal.timeouts.upstream-connect = 750ms\n");

        TealSettings settings = SettingsLoader.load(Optional.of(file), Map.of());

        assertThat(settings.timeouts().upstreamConnect()).isEqualTo(Duration.ofMillis(750));
        assertThat(settings.timeouts().upstreamResponse()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.color(Color.BLUE).healthCheck().path()).contains("/health");
    }

    @Test
    void theFileMayIncludeAnotherBesideIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("backends.conf"), "teal.colors.green.backends = [\"10.0.9.9:80\"]\n");
        Path file = dir.resolve("teal.conf");
        Files.writeString(file, TestSettings.MINIMAL + "include \"backends.conf\"\n");

        TealSettings settings = SettingsLoader.load(Optional.of(file), Map.of());

        assertThat(settings.color(Color.GREEN).backends()).containsExactly(Backend.parse("10.0.9.9:80"));
    }

    @Test
    void aMissingFileIsAProblem(@TempDir Path dir) {
        Path file = dir.resolve("nope.conf");

        InvalidSettingsException e = catchThrowableOfType(
                () -> SettingsLoader.load(Optional.of(file), Map.of()), InvalidSettingsException.class);

        assertThat(e.problems())
                .containsExactly("settings file " + file + ": no such file (expected: a readable HOCON settings file)");
    }

    @Test
    void aDirectoryIsNotASettingsFile(@TempDir Path dir) {
        InvalidSettingsException e = catchThrowableOfType(
                () -> SettingsLoader.load(Optional.of(dir), Map.of()), InvalidSettingsException.class);

        assertThat(e.problems())
                .containsExactly("settings file " + dir + ": a directory (expected: a readable HOCON settings file)");
    }

    @Test
    void aSyntaxErrorInAFileNamesTheFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("teal.conf");
        Files.writeString(file, "teal {\n  listen = \"0.0.0.0:8080\"\n  split.green = = 3\n}\n");

        InvalidSettingsException e = catchThrowableOfType(
                () -> SettingsLoader.load(Optional.of(file), Map.of()), InvalidSettingsException.class);

        assertThat(e.problems())
                .singleElement()
                .asString()
                .contains("teal.conf")
                .contains(": 3: ");
    }

    @Test
    void everyEnvironmentOverrideIsNamedInTheReference() throws IOException {
        String reference = referenceText();

        assertThat(EnvironmentOverrides.variables()).isNotEmpty().allSatisfy(variable -> assertThat(reference)
                .contains("${?" + variable + "}"));
    }

    @Test
    void everyReferenceSettingHasAComment() {
        Config reference = ConfigFactory.parseResources("reference.conf");
        List<String> uncommented = new ArrayList<>();
        collectUncommented("teal", (ConfigObject) reference.root().get("teal"), uncommented);

        assertThat(uncommented).isEmpty();
    }

    private static void collectUncommented(String path, ConfigObject object, List<String> uncommented) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String child = path + "." + entry.getKey();
            if (entry.getValue() instanceof ConfigObject) {
                collectUncommented(child, (ConfigObject) entry.getValue(), uncommented);
            } else if (entry.getValue().origin().comments().isEmpty()) {
                uncommented.add(child);
            }
        }
    }

    @Test
    void theExceptionNeedsAProblem() {
        assertThatThrownBy(() -> new InvalidSettingsException(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: at least one");
    }

    private static String referenceText() throws IOException {
        try (InputStream in = SettingsLoader.class.getClassLoader().getResourceAsStream("reference.conf")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
