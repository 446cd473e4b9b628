package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.TestCertificates;
import dev.teal.proxy.tls.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates that change while teal runs: the files replaced, a Kubernetes symlink swap, a bad file. */
class TlsReloadIT {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private ProxyFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static SelfSignedCertificate certificate(String name) {
        return SelfSignedCertificate.generate(List.of(name), Duration.ofDays(7), SelfSignedCertificate.KeyType.EC);
    }

    /** Writes the files as tools do: a temporary file renamed over the old one. */
    private static void replace(Path cert, Path key, SelfSignedCertificate c) throws Exception {
        Path certTmp = Files.writeString(cert.resolveSibling(".cert.tmp"), c.certificatePem());
        Path keyTmp = Files.writeString(key.resolveSibling(".key.tmp"), c.pkcs8KeyPem());
        Files.move(keyTmp, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(certTmp, cert, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void newConnectionsGetTheNewCertificateWhileTrafficFlowsAndOpenOnesKeepTheirs() throws Exception {
        SelfSignedCertificate a = certificate("a.test");
        SelfSignedCertificate b = certificate("b.test");
        TestCertificates.Written written = TestCertificates.write(dir, "tls", a, TestCertificates.KeyFormat.PKCS8);
        f = ProxyFixture.start(1, 1, t -> t.tls(written.files()));

        try (Connection open = new Connection()) {
            assertThat(open.get("/before")).isEqualTo(200);
            assertThat(open.serial()).isEqualTo(a.certificate().getSerialNumber());

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger served = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            Thread traffic = new Thread(() -> {
                while (running.get()) {
                    try (Connection c = new Connection()) {
                        if (c.get("/flow") == 200) {
                            served.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            traffic.start();
            try {
                assertThat(ProxyFixture.eventually(DEADLINE, () -> served.get() > 5))
                        .isTrue();
                replace(written.cert(), written.key(), b);
                assertThat(ProxyFixture.eventually(DEADLINE, () -> servedSerial()
                                .equals(b.certificate().getSerialNumber())))
                        .isTrue();
                int afterSwap = served.get();
                assertThat(ProxyFixture.eventually(DEADLINE, () -> served.get() > afterSwap + 5))
                        .isTrue();
            } finally {
                running.set(false);
                traffic.join(DEADLINE.toMillis());
            }
            assertThat(failed.get()).isZero();

            // The connection opened before the swap still works, on the certificate it started with.
            assertThat(open.get("/after")).isEqualTo(200);
            assertThat(open.serial()).isEqualTo(a.certificate().getSerialNumber());
        }
        assertThat(f.count("teal.tls.reloads", "result", "applied")).isGreaterThanOrEqualTo(1);
        assertThat(f.meters
                        .find("teal.tls.certificate.expiry")
                        .tag("name", "b.test")
                        .gauge()
                        .value())
                .isEqualTo((double) b.certificate().getNotAfter().toInstant().getEpochSecond());
        assertThat(f.meters
                        .find("teal.tls.certificate.expiry")
                        .tag("name", "a.test")
                        .gauge())
                .isNull();
    }

    @Test
    void aKubernetesSecretVolumeSwapsItsSymlinkAndTheNewCertificateServes() throws Exception {
        SelfSignedCertificate a = certificate("a.test");
        SelfSignedCertificate b = certificate("b.test");
        // The layout of a secret volume: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>.
        Path first = TestCertificates.write(dir.resolve("..2026_12_05_1"), "tls", a, TestCertificates.KeyFormat.PKCS8)
                .cert()
                .getParent();
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path cert = Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Path key = Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data/tls.key"));
        f = ProxyFixture.start(1, 1, t -> t.tls(new dev.teal.config.TlsSettings.CertificateFiles(cert, key)));
        assertThat(servedSerial()).isEqualTo(a.certificate().getSerialNumber());

        Path second = TestCertificates.write(dir.resolve("..2026_12_05_2"), "tls", b, TestCertificates.KeyFormat.PKCS8)
                .cert()
                .getParent();
        Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        assertThat(ProxyFixture.eventually(
                        DEADLINE, () -> servedSerial().equals(b.certificate().getSerialNumber())))
                .isTrue();
    }

    @Test
    void aBadNewFileIsRefusedAndTheOldCertificateKeepsServing() throws Exception {
        SelfSignedCertificate a = certificate("a.test");
        TestCertificates.Written written = TestCertificates.write(dir, "tls", a, TestCertificates.KeyFormat.PKCS8);
        f = ProxyFixture.start(1, 1, t -> t.tls(written.files()));

        // The key of another certificate: refused, counted, and a still serves.
        SelfSignedCertificate other = certificate("other.test");
        Files.writeString(written.key(), other.pkcs8KeyPem());
        assertThat(ProxyFixture.eventually(DEADLINE, () -> f.count("teal.tls.reloads", "result", "refused") >= 1))
                .isTrue();
        assertThat(servedSerial()).isEqualTo(a.certificate().getSerialNumber());
        try (Connection c = new Connection()) {
            assertThat(c.get("/still")).isEqualTo(200);
        }
        assertThat(f.count("teal.tls.reloads", "result", "applied")).isZero();

        // Not PEM at all: refused too.
        double refused = f.count("teal.tls.reloads", "result", "refused");
        Files.writeString(written.cert(), "garbage\n");
        assertThat(ProxyFixture.eventually(DEADLINE, () -> f.count("teal.tls.reloads", "result", "refused") > refused))
                .isTrue();
        assertThat(servedSerial()).isEqualTo(a.certificate().getSerialNumber());

        // Fixed: the next change is applied.
        replace(written.cert(), written.key(), other);
        assertThat(ProxyFixture.eventually(DEADLINE, () -> servedSerial()
                        .equals(other.certificate().getSerialNumber())))
                .isTrue();
    }

    /** The serial of the certificate a new connection is served. */
    private BigInteger servedSerial() {
        try (Connection c = new Connection()) {
            return c.serial();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A keep-alive HTTP/1.1 connection over TLS that trusts whatever teal serves (the test checks which). */
    private final class Connection implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;

        Connection() throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            socket = (SSLSocket) context.getSocketFactory()
                    .createSocket("127.0.0.1", f.proxy.tlsAddress().getPort());
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        }

        BigInteger serial() throws Exception {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }

        /** GET path; returns the status, the body read by its Content-Length. */
        int get(String path) throws Exception {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: a.test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = in.readLine();
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            for (int i = 0; i < length; i++) {
                in.read();
            }
            return Integer.parseInt(status.split(" ")[1]);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

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
