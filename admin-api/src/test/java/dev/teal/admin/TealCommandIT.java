package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The launcher as a process: arguments in, exit codes and output out, signals honoured. */
class TealCommandIT {
    private static final Pattern RUNNING = Pattern.compile("teal running on (\\S+):(\\d+): ");

    @TempDir
    Path dir;

    private HttpServer blue;
    private HttpServer green;

    @BeforeEach
    void startBackends() throws IOException {
        blue = backend("blue");
        green = backend("green");
    }

    @AfterEach
    void stopBackends() {
        blue.stop(0);
        green.stop(0);
    }

    @Test
    void checkAcceptsAValidFileAndExitsZero() throws Exception {
        Path conf = write("good.conf", validConf("127.0.0.1:0"));

        try (TealProcess teal = TealProcess.start(dir, "check", "-c", conf.toString())) {
            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stdout()).isEqualTo("OK: " + conf);
        }
    }

    @Test
    void checkWarnsAboutABackendInBothColorsAndStillPasses() throws Exception {
        String shared = "127.0.0.1:" + blue.getAddress().getPort();
        Path conf = write(
                "shared.conf",
                validConf("127.0.0.1:0")
                        .replace("127.0.0.1:" + green.getAddress().getPort(), shared));

        try (TealProcess teal = TealProcess.start(dir, "check", "-c", conf.toString())) {
            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stdout()).isEqualTo("OK: " + conf);
            assertThat(teal.stderr())
                    .contains("warning: teal.colors: " + shared + " is a backend of both blue and green");
        }
    }

    @Test
    void checkSaysAMissingClosingBraceInPlainWords() throws Exception {
        String text = validConf("127.0.0.1:0");
        Path conf = write("unclosed.conf", text.substring(0, text.lastIndexOf('}')));

        try (TealProcess teal = TealProcess.start(dir, "check", "-c", conf.toString())) {
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(teal.stderr())
                    .contains("a closing '}' is missing before the end of the file")
                    .doesNotContain("parentheses");
        }
    }

    @Test
    void checkListsEveryProblemOnItsOwnLineAndExitsTwo() throws Exception {
        Path conf = write("bad.conf", """
                teal {
                  listen = "not-an-address"
                  colors {
                    blue  { backends = [] }
                    green { backends = ["127.0.0.1:9"] }
                  }
                  split.green = 140
                  no-such-setting = 1
                }
                """);

        try (TealProcess teal = TealProcess.start(dir, "check", "-c", conf.toString())) {
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(teal.stdout()).isEmpty();
            assertThat(teal.stderrLines())
                    .first()
                    .asString()
                    .startsWith(conf + ": invalid settings (")
                    .endsWith("problems):");
            assertThat(teal.stderrLines())
                    .anySatisfy(line -> assertThat(line).contains("listen").contains("not-an-address"))
                    .anySatisfy(line -> assertThat(line).contains("blue").contains("backends"))
                    .anySatisfy(line -> assertThat(line).contains("split.green").contains("140"))
                    .anySatisfy(line -> assertThat(line).contains("no-such-setting"));
        }
    }

    @Test
    void checkReportsAMissingFileAndExitsTwo() throws Exception {
        Path missing = dir.resolve("missing.conf");

        try (TealProcess teal = TealProcess.start(dir, "check", "-c", missing.toString())) {
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(teal.stderr()).contains("missing.conf");
        }
    }

    @Test
    void runRefusesInvalidSettingsWithExitCodeTwoAndStartsNothing() throws Exception {
        Path conf = write("bad.conf", validConf("127.0.0.1:0").replace("split.green = 0", "split.green = 140"));

        try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(teal.stderr()).contains("split.green").contains("140").doesNotContain("listening");
        }
    }

    @Test
    void runServesUntilSigtermThenDrainsAndExitsZero() throws Exception {
        Path conf = write("teal.conf", validConf("127.0.0.1:0"));

        try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
            URI proxy = proxyUri(teal.awaitStderr(RUNNING));
            assertThat(get(proxy)).isEqualTo("blue");

            teal.signal("TERM");

            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stderr())
                    .contains("SIGTERM received")
                    .contains("stopped")
                    .doesNotContain("LEAK:");
        }
    }

    @Test
    void runStopsOnCtrlCAndExitsZero() throws Exception {
        Path conf = write("teal.conf", validConf("127.0.0.1:0"));

        try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
            teal.awaitStderr(RUNNING);

            teal.signal("INT");

            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stderr()).contains("SIGINT received").contains("stopped");
        }
    }

    @Test
    void runTakesSighupAsAReloadRequestAndKeepsServing() throws Exception {
        Path conf = write("teal.conf", validConf("127.0.0.1:0"));

        try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
            URI proxy = proxyUri(teal.awaitStderr(RUNNING));

            teal.signal("HUP");
            teal.awaitStderr(Pattern.compile("reload requested"));

            assertThat(teal.isAlive()).isTrue();
            assertThat(get(proxy)).isEqualTo("blue");
            teal.signal("TERM");
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void runExitsOneWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            Path conf = write("teal.conf", validConf(listen));

            try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
                assertThat(teal.exitCode()).isEqualTo(ExitCodes.FAILURE);
                assertThat(teal.stderr()).contains("teal: cannot listen on " + listen);
            }
        }
    }

    /** Settings whose descriptor needs do not depend on the machine's cores: one event loop, small pools. */
    private String budgetConf(String maxConnections) {
        return validConf("127.0.0.1:0")
                .replace(
                        "split.green = 0",
                        "split.green = 0\n  transport.event-loop-threads = 1\n"
                                + "  upstream.max-idle-per-backend = 8\n  limits.max-connections = " + maxConnections);
    }

    @Test
    @DisplayName("L11 a max-connections that cannot fit the descriptor limit: exit 2 with the numbers, nothing started")
    void l11_refusesToStartWhenTheConnectionsCannotFitTheDescriptorLimit() throws Exception {
        Path conf = write("teal.conf", budgetConf("1000"));

        try (TealProcess teal = TealProcess.startWithDescriptorLimit(dir, 1024, "run", "-c", conf.toString())) {
            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.INVALID);
            // 2 x 1000 + 8 pooled x 1 loop x 2 backends + 2 health checks + 256 reserved, against 1024.
            assertThat(teal.stderr())
                    .contains("teal.limits.max-connections = 1000 needs 2274 file descriptors")
                    .contains("this process may open 1024 (RLIMIT_NOFILE)")
                    .contains("at most 375 connections fit")
                    .doesNotContain("teal running on");
        }
    }

    @Test
    @DisplayName("L11 max-connections = auto under a small descriptor limit: sized to fit, and the start says so")
    void l11_sizesAnAutoConnectionLimitToTheDescriptorLimit() throws Exception {
        Path conf = write("teal.conf", budgetConf("auto"));

        try (TealProcess teal = TealProcess.startWithDescriptorLimit(dir, 1024, "run", "-c", conf.toString())) {
            URI proxy = proxyUri(teal.awaitStderr(RUNNING));
            assertThat(teal.stderr())
                    .contains("max-connections auto: 375 client connections, not 10000, because this process may"
                            + " open 1024 file descriptors");
            assertThat(get(proxy)).isEqualTo("blue");
            teal.signal("TERM");
            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void runNamesTheAdminListenerWhenItsPortIsTakenAndServesNothingBeforeExiting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String admin = "127.0.0.1:" + taken.getLocalPort();
            Path conf = write(
                    "teal.conf",
                    validConf("127.0.0.1:0")
                            .replace("admin.listen = \"127.0.0.1:0\"", "admin.listen = \"" + admin + "\""));

            try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
                assertThat(teal.exitCode()).isEqualTo(ExitCodes.FAILURE);
                assertThat(teal.stderr())
                        .contains("teal: cannot listen on " + admin
                                + " for the admin API and dashboard (teal.admin.listen): ")
                        .contains("Address already in use")
                        // The proxy's listener was bound but never accepted a connection.
                        .doesNotContain("teal listening on");
            }
        }
    }

    @Test
    void aFirstStartShowsTheColorAtZeroDrainedNotDrainingAndTimesInMilliseconds() throws Exception {
        Path conf = write("teal.conf", validConf("127.0.0.1:0"));

        try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
            Matcher adminAt = teal.awaitStderr(Pattern.compile("admin API and dashboard on (http://\\S+/)"));
            JsonNode status = JsonMapper.shared().readTree(get(URI.create(adminAt.group(1) + "status")));

            assertThat(status.path("rollout").path("id").asLong()).isZero();
            assertThat(status.path("colors").path("green").path("drain").asString())
                    .isEqualTo("drained");
            assertThat(status.path("colors").path("green").path("drainDeadline").isNull())
                    .isTrue();
            assertThat(status.path("colors").path("blue").path("drain").asString())
                    .isEqualTo("serving");
            assertThat(status.path("at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(status.path("rollout").path("startedAt").asString()).matches("\\S+\\.\\d{3}Z");
            teal.signal("TERM");
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void auditLinesOnStdoutAreJsonWithTheirOwnFields() throws Exception {
        Path conf = write("teal.conf", validConf("127.0.0.1:0"));

        try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
            teal.awaitStderr(RUNNING);
            Matcher adminAt = teal.awaitStderr(Pattern.compile("admin API and dashboard on (http://\\S+/)"));
            HttpResponse<String> ramp = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(adminAt.group(1) + "ramp?green=5"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ramp.statusCode()).isEqualTo(200);
            Matcher line = teal.awaitStdout(Pattern.compile("^(\\{.*\"logger_name\":\"teal\\.audit\".*})$"));

            JsonNode audit = JsonMapper.shared().readTree(line.group(1));
            assertThat(audit.path("call").asString()).isEqualTo("POST /ramp");
            assertThat(audit.path("params").asString()).isEqualTo("green=5");
            assertThat(audit.path("status").asInt()).isEqualTo(200);
            assertThat(audit.path("client").asString()).startsWith("127.0.0.1:");
            assertThat(audit.path("time").asString()).matches("\\S+T\\S+\\.\\d{3}Z");
            assertThat(audit.path("result").asString()).startsWith("split: green 0 -> 5 %");
            teal.signal("TERM");
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void theShadedJarChecksAValidFile() throws Exception {
        Path jar = Path.of(System.getProperty("teal.jar", "target/teal.jar"));
        assertThat(jar).as("the shaded jar (built by mvn package)").isRegularFile();
        Path conf = write("good.conf", validConf("127.0.0.1:0"));

        try (TealProcess teal = TealProcess.startJar(jar, dir, "check", "-c", conf.toString())) {
            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stdout()).isEqualTo("OK: " + conf);
        }
    }

    private String validConf(String listen) {
        return """
                teal {
                  listen = "%s"
                  admin.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  colors {
                    blue  { backends = ["127.0.0.1:%d"] }
                    green { backends = ["127.0.0.1:%d"] }
                  }
                  split.green = 0
                }
                """.formatted(
                        listen,
                        dir.resolve("state").toString().replace('\\', '/'),
                        blue.getAddress().getPort(),
                        green.getAddress().getPort());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** A backend that answers every request with its color. */
    private static HttpServer backend(String color) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = color.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI proxyUri(Matcher listening) {
        return URI.create("http://" + listening.group(1) + ":" + listening.group(2) + "/");
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
        return response.body();
    }
}
