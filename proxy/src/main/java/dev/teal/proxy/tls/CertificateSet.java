package dev.teal.proxy.tls;

import dev.teal.config.TlsSettings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The certificates of one load, each with its {@code SslContext}, and the SNI mapping from server name
 * to context: the first certificate for clients that send no name or one no certificate covers. Immutable:
 * a reload builds a new set, and a connection keeps the context its handshake chose.
 */
public final class CertificateSet {
    private final List<ServerCertificate> certificates;
    private final Mapping<String, SslContext> byName;

    private CertificateSet(List<ServerCertificate> certificates, Mapping<String, SslContext> byName) {
        this.certificates = List.copyOf(certificates);
        this.byName = byName;
    }

    /**
     * Reads every certificate of the settings and builds its context.
     *
     * @throws InvalidCertificateException for the first file that cannot serve
     */
    public static CertificateSet load(TlsSettings settings, SslProvider provider, Instant now) {
        List<ServerCertificate> certificates = new ArrayList<>();
        List<SslContext> contexts = new ArrayList<>();
        List<TlsSettings.CertificateFiles> files = settings.certificates();
        for (int i = 0; i < files.size(); i++) {
            // The first comes from tls.cert/tls.key unless only tls.certificates was given; either way
            // the path in the message is what the operator looks for.
            String at = "teal.tls certificate " + (i + 1) + " of " + files.size() + ":";
            ServerCertificate certificate = ServerCertificate.read(at + " cert", at + " key", files.get(i), now);
            certificates.add(certificate);
            contexts.add(context(certificate, settings, provider));
        }
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(contexts.get(0));
        Set<String> mapped = new HashSet<>();
        for (int i = 0; i < certificates.size(); i++) {
            for (String name : certificates.get(i).names()) {
                // The first certificate that names a host serves it, as the order of the file says.
                if (mapped.add(name)) {
                    mapping.add(name, contexts.get(i));
                }
            }
        }
        return new CertificateSet(certificates, mapping.build());
    }

    private static SslContext context(ServerCertificate certificate, TlsSettings settings, SslProvider provider) {
        try {
            return SslContextBuilder.forServer(
                            certificate.key(), certificate.chain().toArray(new X509Certificate[0]))
                    .sslProvider(provider)
                    .protocols(settings.protocols())
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            // Clients that offer none of ours still get http/1.1 rather than a failed handshake.
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            settings.alpn()))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidCertificateException("teal.tls: " + certificate.certFile() + " and "
                    + certificate.files().key() + " cannot serve TLS (" + e.getMessage() + ")");
        }
    }

    /** The context for a server name (null: no name was sent), the first certificate's when none covers it. */
    public SslContext context(String serverName) {
        return byName.map(serverName);
    }

    public List<ServerCertificate> certificates() {
        return certificates;
    }
}
