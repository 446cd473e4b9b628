package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teal demo} as a person runs it: it says where to go, serves blue there, and stops on Ctrl-C. */
class DemoCommandIT {
    private static final Pattern LISTENING = Pattern.compile("teal is listening on http://localhost:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void printsWhereToGoServesBlueThereAndStopsCleanlyOnCtrlC() throws Exception {
        try (TealProcess teal = TealProcess.start(dir, "demo", "--port", "0", "--admin-port", "0")) {
            String port = teal.awaitStdout(LISTENING).group(1);
            teal.awaitStdout(Pattern.compile("Ctrl-C stops teal, then the applications"));
            assertThat(teal.stdout())
                    .contains("open http://localhost:" + port + "/")
                    .contains("curl -i localhost:" + port + "/api/whoami");

            HttpResponse<String> whoami = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/whoami"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(whoami.body()).contains("\"color\":\"blue\"");

            teal.signal("INT");

            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stderr()).contains("stopping the demo").doesNotContain("LEAK:");
        }
    }

    @Test
    void exitsOneWithAHintWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                TealProcess teal = TealProcess.start(
                        dir, "demo", "--port", Integer.toString(taken.getLocalPort()), "--admin-port", "0")) {
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(teal.stderr())
                    .contains("teal demo: teal cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("choose free ports with --port");
        }
    }

    @Test
    void withTlsServesHttpsWithASecurePinAndSaysHowCurlTrustsIt() throws Exception {
        try (TealProcess teal =
                TealProcess.start(dir, "demo", "--port", "0", "--admin-port", "0", "--tls", "--tls-port", "0")) {
            java.util.regex.Matcher trust =
                    teal.awaitStdout(Pattern.compile("  curl --cacert (\\S+) (https://localhost:(\\d+)/)"));
            teal.awaitStdout(Pattern.compile("Ctrl-C stops teal, then the applications"));
            Process curl = new ProcessBuilder(
                            "curl", "-sS", "-i", "--http1.1", "--cacert", trust.group(1), trust.group(2) + "api/whoami")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(curl.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).as(out).isZero();
            assertThat(out)
                    .startsWith("HTTP/1.1 200")
                    .containsPattern("(?i)set-cookie: teal=[^\\r\\n]*; Secure")
                    .contains("\"color\":\"blue\"");

            teal.signal("INT");
            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stderr()).doesNotContain("LEAK:");
        }
    }
}
