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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
