package dev.teal.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.teal.config.TlsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslProvider;
import java.time.Instant;

/**
 * What the TLS listener puts in front of each connection's HTTP pipeline: the plain-HTTP check, the
 * certificate chosen by SNI and the handshake's deadline and failure counts. Holds the certificates in
 * service, which a reload replaces.
 */
public final class TlsTermination {
    public static final String PLAIN_CHECK = "tls-plain-check";
    public static final String TLS = "tls";
    public static final String HANDSHAKE = "tls-handshake";

    private final TlsSettings settings;
    private final SslProvider provider;
    private final ServedCertificates certificates;
    private final TlsMeters meters;

    private TlsTermination(TlsSettings settings, SslProvider provider, CertificateSet initial, TlsMeters meters) {
        this.settings = settings;
        this.provider = provider;
        this.certificates = new ServedCertificates(initial);
        this.meters = meters;
    }

    /**
     * Reads the certificates and builds their contexts.
     *
     * @throws InvalidCertificateException naming the first file that cannot serve, or a provider that
     *     cannot load
     */
    public static TlsTermination start(TlsSettings settings, MeterRegistry registry) {
        requireNonNull(settings, "settings");
        SslProvider provider = TlsProviders.choose(settings.provider());
        CertificateSet initial = CertificateSet.load(settings, provider, Instant.now());
        return new TlsTermination(settings, provider, initial, new TlsMeters(registry));
    }

    /**
     * Reads and checks the certificates without serving them ({@code teal check}).
     *
     * @return one line per certificate: its names and expiry
     * @throws InvalidCertificateException naming the first file that cannot serve
     */
    public static java.util.List<String> check(TlsSettings settings) {
        CertificateSet set = CertificateSet.load(settings, TlsProviders.choose(settings.provider()), Instant.now());
        return set.certificates().stream()
                .map(c -> c.certFile() + ": " + String.join(", ", c.names()) + ", valid until " + c.notAfter())
                .toList();
    }

    public void addTo(ChannelPipeline p) {
        p.addLast(PLAIN_CHECK, new PlainHttpOnTlsPort(meters));
        p.addLast(TLS, new CertificateSelector(certificates));
        p.addLast(HANDSHAKE, new TlsHandshakes(settings.handshakeTimeout().toMillis(), meters));
    }

    public SslProvider provider() {
        return provider;
    }

    public CertificateSet certificates() {
        return certificates.current();
    }

    public TlsSettings settings() {
        return settings;
    }
}
