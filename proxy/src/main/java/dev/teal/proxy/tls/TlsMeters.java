package dev.teal.proxy.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** The TLS listener's meters, looked up once so a failing handshake only increments. */
public final class TlsMeters {
    /** Bounded reasons a handshake did not complete. */
    public enum HandshakeError {
        /** The client did not finish within teal.tls.handshake-timeout. */
        TIMEOUT("timeout"),
        /** The client spoke plain HTTP to the TLS port (answered with 400). */
        PLAIN_HTTP("plain_http"),
        /** Bytes that are not TLS at all. */
        NOT_TLS("not_tls"),
        /** The client refused teal's certificate (an alert such as unknown_ca or bad_certificate). */
        CERTIFICATE_REJECTED("certificate_rejected"),
        /** No TLS version or cipher in common. */
        PROTOCOL("protocol"),
        /** The client closed the connection during the handshake. */
        CLOSED("closed"),
        OTHER("other");

        final String tag;

        HandshakeError(String tag) {
            this.tag = tag;
        }
    }

    private final Map<HandshakeError, Counter> handshakeErrors = new EnumMap<>(HandshakeError.class);

    public TlsMeters(MeterRegistry registry) {
        for (HandshakeError e : HandshakeError.values()) {
            handshakeErrors.put(
                    e,
                    Counter.builder("teal.tls.handshake.errors")
                            .description("TLS handshakes that did not complete, by reason")
                            .tag("reason", e.tag)
                            .register(registry));
        }
    }

    public void handshakeFailed(HandshakeError reason) {
        handshakeErrors.get(reason).increment();
    }
}
