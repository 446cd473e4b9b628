package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {
    private static TealSettings load(String tls) throws InvalidSettingsException {
        return SettingsLoader.parse(TestSettings.MINIMAL + "\nteal.tls { " + tls + " }", Map.of());
    }

    private static List<String> problems(String tls) {
        return catchThrowableOfType(InvalidSettingsException.class, () -> load(tls))
                .problems();
    }

    @Test
    void offUnlessListenIsSet() throws Exception {
        assertThat(load("").tls()).isEmpty();
    }

    @Test
    void readsTheListenerWithReferenceDefaults() throws Exception {
        TlsSettings tls = load("listen = \"0.0.0.0:8443\", cert = \"/etc/teal/tls.crt\", key = \"/etc/teal/tls.key\"")
                .tls()
                .orElseThrow();
        assertThat(tls.listen()).isEqualTo(new HostPort("0.0.0.0", 8443));
        assertThat(tls.certificates())
                .containsExactly(
                        new TlsSettings.CertificateFiles(Path.of("/etc/teal/tls.crt"), Path.of("/etc/teal/tls.key")));
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.provider()).isEqualTo(TlsSettings.Provider.AUTO);
        assertThat(tls.alpn()).containsExactly("http/1.1");
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void certificatesForSniComeAfterTheDefault() throws Exception {
        TlsSettings tls = load("listen = \"127.0.0.1:8443\", cert = a.crt, key = a.key,"
                        + " certificates = [{ cert = b.crt, key = b.key }], provider = jdk, protocols = [TLSv1.3]")
                .tls()
                .orElseThrow();
        assertThat(tls.certificates()).extracting(c -> c.cert().toString()).containsExactly("a.crt", "b.crt");
        assertThat(tls.provider()).isEqualTo(TlsSettings.Provider.JDK);
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void aListenerWithoutCertificateIsRefused() {
        assertThat(problems("listen = \"0.0.0.0:8443\""))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("teal.tls.cert: \"\"")
                .contains("since tls.listen is set");
    }

    @Test
    void aCertWithoutKeyIsRefused() {
        assertThat(problems("listen = \"0.0.0.0:8443\", cert = a.crt"))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("teal.tls.key: \"\"");
    }

    @Test
    void filesWithoutListenerAreRefused() {
        assertThat(problems("cert = a.crt, key = a.key"))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("teal.tls.listen: \"\"");
    }

    @Test
    void oldProtocolsUnknownAlpnAndBadEntriesAreRefused() {
        assertThat(problems("listen = \"0.0.0.0:8443\", cert = a.crt, key = a.key, protocols = [TLSv1],"
                        + " alpn = [h3], certificates = [{ cert = b.crt, kee = b.key }], handshake-timeout = 0s,"
                        + " provider = boring"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.tls.protocols[0]: \"TLSv1\""))
                .anySatisfy(p -> assertThat(p).startsWith("teal.tls.alpn[0]: \"h3\""))
                .anySatisfy(p -> assertThat(p).startsWith("teal.tls.certificates[0].kee: unknown setting"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.tls.certificates[0].key: missing"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.tls.handshake-timeout: 0s"))
                .anySatisfy(p -> assertThat(p).startsWith("teal.tls.provider: \"boring\""));
    }

    @Test
    void theTlsPortMustDifferFromThePlainOne() {
        assertThat(problems("listen = \"0.0.0.0:8080\", cert = a.crt, key = a.key"))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("teal.tls.listen: \"0.0.0.0:8080\"")
                .contains("teal.listen");
    }

    @Test
    void theEnvironmentTurnsTheListenerOn() throws Exception {
        TealSettings settings = SettingsLoader.parse(
                TestSettings.MINIMAL + "\nteal.tls { cert = a.crt, key = a.key }",
                Map.of("TEAL_TLS_LISTEN", "127.0.0.1:9443"));
        assertThat(settings.tls().orElseThrow().listen()).isEqualTo(new HostPort("127.0.0.1", 9443));
    }
}
