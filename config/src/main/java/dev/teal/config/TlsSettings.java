package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The TLS listener ({@code teal.tls}), present only when {@code teal.tls.listen} is set. The files are
 * only named here; reading them (and refusing a bad one) is the data plane's job at start and on reload.
 *
 * @param listen where the TLS listener binds
 * @param certificates the certificates served, the first one to clients that send no (or an unknown)
 *     server name; the others are chosen by SNI from the names in each certificate
 * @param protocols the TLS versions offered, such as TLSv1.3 and TLSv1.2
 * @param provider which TLS implementation serves
 * @param alpn the application protocols offered by ALPN, in preference order
 * @param handshakeTimeout how long a client may take to finish its handshake
 * @param watch whether the files' directories are watched and a change reloads the certificates
 */
public record TlsSettings(
        HostPort listen,
        List<CertificateFiles> certificates,
        List<String> protocols,
        Provider provider,
        List<String> alpn,
        Duration handshakeTimeout,
        boolean watch) {
    /** The TLS versions teal offers; older ones are broken (RFC 8996). */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
    /** The application protocols teal speaks over TLS. */
    public static final List<String> APPLICATION_PROTOCOLS = List.of("http/1.1");

    /** Which TLS implementation serves the listener. */
    public enum Provider {
        /** OpenSSL (BoringSSL, through netty-tcnative) when it loads on this machine, else the JDK's. */
        AUTO,
        OPENSSL,
        JDK
    }

    /**
     * One certificate chain and its key, PEM files.
     *
     * @param cert the chain, leaf first
     * @param key the private key: PKCS#8, PKCS#1 or SEC1
     */
    public record CertificateFiles(Path cert, Path key) {
        public CertificateFiles {
            requireNonNull(cert, "cert");
            requireNonNull(key, "key");
        }
    }

    public TlsSettings {
        requireNonNull(listen, "listen");
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("certificates: [] (expected: at least one cert and key)");
        }
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty() || !PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("protocols: " + protocols + " (expected: TLSv1.3 and/or TLSv1.2)");
        }
        requireNonNull(provider, "provider");
        alpn = List.copyOf(alpn);
        if (alpn.isEmpty() || !APPLICATION_PROTOCOLS.containsAll(alpn)) {
            throw new IllegalArgumentException("alpn: " + alpn + " (expected: some of " + APPLICATION_PROTOCOLS + ")");
        }
        Checks.positive(handshakeTimeout, "handshake-timeout");
    }
}
