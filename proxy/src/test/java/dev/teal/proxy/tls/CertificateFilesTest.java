package dev.teal.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.config.HostPort;
import dev.teal.config.TlsSettings;
import dev.teal.proxy.testing.TestCertificates;
import dev.teal.proxy.testing.TestCertificates.KeyFormat;
import dev.teal.proxy.tls.SelfSignedCertificate.KeyType;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading certificate and key files: the forms that serve, and a clear refusal for the ones that cannot. */
class CertificateFilesTest {
    @TempDir
    Path dir;

    private static TlsSettings settings(TlsSettings.CertificateFiles... files) {
        return new TlsSettings(
                new HostPort("127.0.0.1", 0),
                List.of(files),
                List.of("TLSv1.3", "TLSv1.2"),
                TlsSettings.Provider.AUTO,
                List.of("http/1.1"),
                Duration.ofSeconds(10),
                true);
    }

    private CertificateSet load(TlsSettings.CertificateFiles... files) {
        return CertificateSet.load(settings(files), TlsProviders.choose(TlsSettings.Provider.AUTO), Instant.now());
    }

    private TestCertificates.Written write(String stem, KeyType type, KeyFormat format) {
        return TestCertificates.write(
                dir,
                stem,
                SelfSignedCertificate.generate(
                        List.of(stem + ".test", "www." + stem + ".test"), Duration.ofDays(1), type),
                format);
    }

    @Test
    void openSslLoadsOnThisMachineAndAutoChoosesIt() {
        assertThat(OpenSsl.isAvailable())
                .as("netty-tcnative: %s", OpenSsl.unavailabilityCause())
                .isTrue();
        assertThat(TlsProviders.choose(TlsSettings.Provider.AUTO)).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsProviders.choose(TlsSettings.Provider.JDK)).isEqualTo(SslProvider.JDK);
    }

    @Test
    void readsPkcs8Pkcs1AndSec1Keys() {
        CertificateSet set = load(
                write("rsa8", KeyType.RSA, KeyFormat.PKCS8).files(),
                write("rsa1", KeyType.RSA, KeyFormat.PKCS1).files(),
                write("ec8", KeyType.EC, KeyFormat.PKCS8).files(),
                write("sec1", KeyType.EC, KeyFormat.SEC1).files());
        assertThat(set.certificates())
                .extracting(ServerCertificate::names)
                .containsExactly(
                        List.of("rsa8.test", "www.rsa8.test"),
                        List.of("rsa1.test", "www.rsa1.test"),
                        List.of("ec8.test", "www.ec8.test"),
                        List.of("sec1.test", "www.sec1.test"));
        assertThat(set.context("www.sec1.test")).isNotSameAs(set.context(null));
        assertThat(set.context("unknown.test")).isSameAs(set.context(null));
    }

    @Test
    void aMissingFileIsNamed() {
        TestCertificates.Written ok = write("a", KeyType.EC, KeyFormat.PKCS8);
        Path missing = dir.resolve("nope.crt");
        assertThatThrownBy(() -> load(new TlsSettings.CertificateFiles(missing, ok.key())))
                .isInstanceOf(InvalidCertificateException.class)
                .hasMessageContaining(missing.toString() + ": no such file");
    }

    @Test
    void aFileThatIsNotPemIsRefused() throws Exception {
        TestCertificates.Written ok = write("a", KeyType.EC, KeyFormat.PKCS8);
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, this is not a certificate\n");
        assertThatThrownBy(() -> load(new TlsSettings.CertificateFiles(text, ok.key())))
                .hasMessageContaining(text + ": not PEM");
        assertThatThrownBy(() -> load(new TlsSettings.CertificateFiles(ok.cert(), text)))
                .hasMessageContaining(text + ": not PEM");
        // A certificate where the key should be.
        assertThatThrownBy(() -> load(new TlsSettings.CertificateFiles(ok.cert(), ok.cert())))
                .hasMessageContaining(ok.cert() + ": PEM without a private key");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        TestCertificates.Written a = write("a", KeyType.EC, KeyFormat.PKCS8);
        TestCertificates.Written b = write("b", KeyType.EC, KeyFormat.PKCS8);
        TestCertificates.Written rsa = write("r", KeyType.RSA, KeyFormat.PKCS8);
        assertThatThrownBy(() -> load(new TlsSettings.CertificateFiles(a.cert(), b.key())))
                .hasMessageContaining(b.key() + ": a key that does not match the certificate in " + a.cert());
        assertThatThrownBy(() -> load(new TlsSettings.CertificateFiles(a.cert(), rsa.key())))
                .hasMessageContaining("does not match");
    }

    @Test
    void anExpiredCertificateIsRefused() {
        Instant now = Instant.now();
        TestCertificates.Written old = TestCertificates.write(
                dir,
                "old",
                SelfSignedCertificate.generate(
                        List.of("old.test"), now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), KeyType.EC),
                KeyFormat.PKCS8);
        assertThatThrownBy(() -> load(old.files()))
                .isInstanceOf(InvalidCertificateException.class)
                .hasMessageContaining(old.cert() + ": a certificate that expired at");
    }
}
