package dev.teal.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Reads the client's server name (SNI) from its ClientHello and replaces itself with the {@code SslHandler}
 * of the certificate in service for that name. The handshake's time-out is {@link TlsHandshakes}'s, from
 * the first byte on, so neither Netty handler keeps one of its own.
 */
public final class CertificateSelector extends SniHandler {
    /** A ClientHello larger than this is refused: room for post-quantum key shares and many extensions. */
    private static final int MAX_CLIENT_HELLO = 64 * 1024;

    public CertificateSelector(ServedCertificates certificates) {
        super(certificates, MAX_CLIENT_HELLO, 0);
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }
}
