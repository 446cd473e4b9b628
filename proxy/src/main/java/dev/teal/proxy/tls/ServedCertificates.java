package dev.teal.proxy.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;

/**
 * The certificates in service, for the SNI handler of each new connection: one volatile read per
 * handshake, so a reload is a single write and connections already open keep the context they chose.
 */
public final class ServedCertificates implements Mapping<String, SslContext> {
    private volatile CertificateSet current;

    public ServedCertificates(CertificateSet initial) {
        this.current = requireNonNull(initial, "initial");
    }

    public CertificateSet current() {
        return current;
    }

    /** Puts a new set in service for the handshakes that start from now on. */
    public void replace(CertificateSet next) {
        current = requireNonNull(next, "next");
    }

    @Override
    public SslContext map(String serverName) {
        return current.context(serverName);
    }
}
