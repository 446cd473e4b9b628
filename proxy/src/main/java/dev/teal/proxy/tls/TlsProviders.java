package dev.teal.proxy.tls;

import dev.teal.config.TlsSettings;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/** Chooses the TLS implementation: OpenSSL (BoringSSL through netty-tcnative) where it loads, else the JDK's. */
public final class TlsProviders {
    private TlsProviders() {}

    /** @throws InvalidCertificateException when openssl is asked for and cannot load here */
    public static SslProvider choose(TlsSettings.Provider wanted) {
        return switch (wanted) {
            case JDK -> SslProvider.JDK;
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new InvalidCertificateException("teal.tls.provider: openssl, but it cannot load on this"
                            + " machine (" + OpenSsl.unavailabilityCause() + ") (expected: auto or jdk here)");
                }
                yield SslProvider.OPENSSL;
            }
        };
    }
}
