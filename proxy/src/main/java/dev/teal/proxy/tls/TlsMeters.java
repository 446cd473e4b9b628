package dev.teal.proxy.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final Counter reloadsApplied;
    private final Counter reloadsRefused;
    private final MultiGauge expiry;

    public TlsMeters(MeterRegistry registry) {
        reloadsApplied = reloads(registry, "applied");
        reloadsRefused = reloads(registry, "refused");
        expiry = MultiGauge.builder("teal.tls.certificate.expiry")
                .description("When each certificate in service expires, Unix time")
                .baseUnit("seconds")
                .register(registry);
        for (HandshakeError e : HandshakeError.values()) {
            handshakeErrors.put(
                    e,
                    Counter.builder("teal.tls.handshake.errors")
                            .description("TLS handshakes that did not complete, by reason")
                            .tag("reason", e.tag)
                            .register(registry));
        }
    }

    private static Counter reloads(MeterRegistry registry, String result) {
        return Counter.builder("teal.tls.reloads")
                .description("Certificate reloads (file change, SIGHUP, POST /reload), applied or refused")
                .tag("result", result)
                .register(registry);
    }

    void reloaded(boolean applied) {
        (applied ? reloadsApplied : reloadsRefused).increment();
    }

    /** The expiry of each certificate in service, by its name; certificates no longer served disappear. */
    void inService(CertificateSet set) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ServerCertificate c : set.certificates()) {
            if (seen.add(c.label())) {
                rows.add(MultiGauge.Row.of(
                        Tags.of("name", c.label()), c.notAfter().getEpochSecond()));
            }
        }
        expiry.register(rows, true);
    }

    public void handshakeFailed(HandshakeError reason) {
        handshakeErrors.get(reason).increment();
    }
}
