package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS listener over real sockets, with the JDK's HTTPS client, raw TLS sockets and real curl. */
class TlsIT {
    @TempDir
    Path dir;

    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private TestCertificates.Written localhost() {
        return TestCertificates.write(dir, "localhost", List.of("localhost"));
    }

    private String https(String path) {
        return "https://localhost:" + f.proxy.tlsAddress().getPort() + path;
    }

    @Test
    void httpsReachesTheBackendsWithProtoHttpsAndASecurePin() throws Exception {
        TestCertificates.Written cert = localhost();
        f = ProxyFixture.start(1, 1, t -> t.tls(cert.files()));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(cert.clientContext())
                .version(HttpClient.Version.HTTP_1_1)
                .build();

        HttpResponse<String> tls = client.send(
                HttpRequest.newBuilder(URI.create(https("/hello"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tls.statusCode()).isEqualTo(200);
        assertThat(tls.body()).isEqualTo("blue-1 GET /hello");
        assertThat(tls.headers().firstValue("set-cookie"))
                .hasValueSatisfying(c -> assertThat(c).startsWith("teal=").endsWith("; Secure"));
        assertThat(f.blue.get(0).requests().get(0).headers().get("x-forwarded-proto"))
                .isEqualTo("https");

        // The plain listener beside it: same backends, no Secure, proto http.
        HttpResponse<String> plain =
                client.send(HttpRequest.newBuilder(f.uri("/plain")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("set-cookie"))
                .hasValueSatisfying(c -> assertThat(c).doesNotContain("Secure"));
        assertThat(f.blue.get(0).requests().get(1).headers().get("x-forwarded-proto"))
                .isEqualTo("http");
    }

    @Test
    void curlTrustsTheCertificateAndSeesTheSecurePin() throws Exception {
        TestCertificates.Written cert = localhost();
        f = ProxyFixture.start(1, 1, t -> t.tls(cert.files()));
        int port = f.proxy.tlsAddress().getPort();
        Process curl = new ProcessBuilder(
                        "curl",
                        "-sS",
                        "-D",
                        "-",
                        "--http1.1",
                        "--cacert",
                        cert.cert().toString(),
                        "--resolve",
                        "localhost:" + port + ":127.0.0.1",
                        https("/curl"))
                .redirectErrorStream(true)
                .start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(out).isZero();
        assertThat(out).startsWith("HTTP/1.1 200").contains("; Secure").endsWith("blue-1 GET /curl");
    }

    @Test
    void sniChoosesTheCertificateByNameAndWildcardCoversOneLabel() throws Exception {
        TestCertificates.Written first = localhost();
        TestCertificates.Written shop = TestCertificates.write(dir, "shop", List.of("shop.test"));
        TestCertificates.Written api = TestCertificates.write(dir, "api", List.of("*.api.test"));
        f = ProxyFixture.start(1, 1, t -> t.tls(first.files(), shop.files(), api.files()));

        assertThat(servedName("shop.test")).isEqualTo("CN=shop.test");
        assertThat(servedName("SHOP.test")).isEqualTo("CN=shop.test");
        assertThat(servedName("eu.api.test")).isEqualTo("CN=*.api.test");
        assertThat(servedName("a.eu.api.test")).isEqualTo("CN=localhost");
        assertThat(servedName("unknown.test")).isEqualTo("CN=localhost");
        assertThat(servedName(null)).isEqualTo("CN=localhost");
    }

    /** The subject of the certificate teal serves for this server name (null: no SNI). */
    private String servedName(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", f.proxy.tlsAddress().getPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal()
                    .getName();
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsAClear400AndClose() throws Exception {
        TestCertificates.Written cert = localhost();
        f = ProxyFixture.start(1, 1, t -> t.tls(cert.files()));
        try (Socket socket = new Socket()) {
            socket.connect(f.proxy.tlsAddress(), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("use https://");
        }
        assertThat(f.count("teal.tls.handshake.errors", "reason", "plain_http")).isEqualTo(1);
        assertThat(f.blue.get(0).requests()).isEmpty();
    }

    @Test
    void aHandshakeThatNeverFinishesIsClosedAtItsTimeOut() throws Exception {
        TestCertificates.Written cert = localhost();
        f = ProxyFixture.start(
                1,
                1,
                t -> t.tls(new dev.teal.config.TlsSettings(
                        new dev.teal.config.HostPort("127.0.0.1", 0),
                        List.of(cert.files()),
                        List.of("TLSv1.3", "TLSv1.2"),
                        dev.teal.config.TlsSettings.Provider.AUTO,
                        List.of("http/1.1"),
                        Duration.ofMillis(300),
                        true)));
        try (Socket silent = new Socket();
                Socket halfHello = new Socket()) {
            silent.connect(f.proxy.tlsAddress(), 5000);
            halfHello.connect(f.proxy.tlsAddress(), 5000);
            // A TLS record header promising 512 bytes of ClientHello, and 4 of them.
            halfHello.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
            silent.setSoTimeout(10_000);
            halfHello.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(halfHello.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(ProxyFixture.eventually(
                        Duration.ofSeconds(5), () -> f.count("teal.tls.handshake.errors", "reason", "timeout") == 2))
                .isTrue();
        assertThat(ProxyFixture.eventually(Duration.ofSeconds(5), () -> f.proxy.clientConnections() == 0))
                .isTrue();
    }

    @Test
    void webSocketOverHttp11KeepsWorkingOnTheTlsListener() throws Exception {
        TestCertificates.Written cert = localhost();
        f = ProxyFixture.start(1, 1, t -> t.tls(cert.files()));
        HttpClient client =
                HttpClient.newBuilder().sslContext(cert.clientContext()).build();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket ws = client.newWebSocketBuilder()
                .buildAsync(
                        URI.create("wss://localhost:" + f.proxy.tlsAddress().getPort() + "/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                echoed.complete(data.toString());
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        ws.sendText("over tls", true).get(10, TimeUnit.SECONDS);
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("blue-1:OVER TLS");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    private static String readToEnd(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** For the SNI test, which looks at the certificate served rather than trusting it. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
