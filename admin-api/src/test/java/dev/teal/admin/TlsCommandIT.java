package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.teal.proxy.testing.TestCertificates;
import dev.teal.proxy.tls.SelfSignedCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teal run} and {@code teal check} with a TLS listener: start errors, SIGHUP and POST /reload. */
class TlsCommandIT {
    private static final Pattern TLS_LISTENING = Pattern.compile("teal listening for TLS on (\\S+):(\\d+) ");
    private static final Pattern ADMIN = Pattern.compile("admin API and dashboard on (http://\\S+/)");

    @TempDir
    Path dir;

    private HttpServer backend;

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = ("blue " + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
    }

    @AfterEach
    void stopBackend() {
        backend.stop(0);
    }

    private Path conf(Path cert, Path key) throws IOException {
        return Files.writeString(dir.resolve("teal.conf"), """
                teal {
                  listen = "127.0.0.1:0"
                  admin.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  colors {
                    blue  { backends = ["127.0.0.1:%d"] }
                    green { backends = ["127.0.0.1:%d"] }
                  }
                  tls { listen = "127.0.0.1:0", cert = "%s", key = "%s", watch = false }
                }
                """.formatted(
                        dir.resolve("state"),
                        backend.getAddress().getPort(),
                        backend.getAddress().getPort(),
                        cert,
                        key));
    }

    private static SelfSignedCertificate certificate(String name) {
        return SelfSignedCertificate.generate(List.of(name), Duration.ofDays(7), SelfSignedCertificate.KeyType.EC);
    }

    @Test
    void aMissingCertificateStopsTheStartWithItsPathAndExitCodeTwo() throws Exception {
        Path missing = dir.resolve("nope.crt");
        TestCertificates.Written ok = TestCertificates.write(dir, "ok", List.of("localhost"));
        Path conf = conf(missing, ok.key());
        try (TealProcess teal = TealProcess.start(dir, "run", "-c", conf.toString())) {
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(teal.stderr()).contains(missing + ": no such file").doesNotContain("teal listening");
        }
        try (TealProcess teal = TealProcess.start(dir, "check", "-c", conf.toString())) {
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(teal.stderr()).contains(missing + ": no such file");
        }
        try (TealProcess teal =
                TealProcess.start(dir, "check", "-c", conf(ok.cert(), ok.key()).toString())) {
            assertThat(teal.exitCode()).as(teal.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stderr()).contains("certificate " + ok.cert() + ": localhost, valid until");
        }
    }

    @Test
    void sighupAndPostReloadServeTheNewCertificateAndRefuseABadOne() throws Exception {
        SelfSignedCertificate a = certificate("a.test");
        TestCertificates.Written files = TestCertificates.write(dir, "tls", a, TestCertificates.KeyFormat.PKCS8);
        try (TealProcess teal = TealProcess.start(
                dir, "run", "-c", conf(files.cert(), files.key()).toString())) {
            Matcher tls = teal.awaitStderr(TLS_LISTENING);
            int port = Integer.parseInt(tls.group(2));
            String admin = teal.awaitStderr(ADMIN).group(1);
            assertThat(served(port)).isEqualTo(a.certificate().getSerialNumber());
            assertThat(httpsGet(port, files)).isEqualTo("blue https");

            // SIGHUP reads the files again.
            SelfSignedCertificate b = certificate("b.test");
            TestCertificates.write(dir, "tls", b, TestCertificates.KeyFormat.SEC1);
            teal.signal("HUP");
            teal.awaitStderr(Pattern.compile("reloaded: .*1 TLS certificate reloaded"));
            assertThat(served(port)).isEqualTo(b.certificate().getSerialNumber());

            // A key that is not the certificate's: POST /reload answers 400 naming it, b keeps serving.
            Files.writeString(files.key(), certificate("c.test").pkcs8KeyPem());
            HttpResponse<String> refused = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(admin + "reload"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains(files.key() + ": a key that does not match the certificate");
            assertThat(served(port)).isEqualTo(b.certificate().getSerialNumber());
            assertThat(teal.stderr()).contains("certificates not reloaded, the ones in service stay");

            teal.signal("TERM");
            assertThat(teal.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(teal.stderr()).doesNotContain("LEAK:");
        }
    }

    /** The body of GET / over TLS (HTTP/1.1, Connection: close). */
    private static String httpsGet(int port, TestCertificates.Written trusted) throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200 ").contains("; Secure");
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    private static BigInteger served(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static SSLContext trusting() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        return context;
    }
}
