package dev.teal.proxy.discovery;

import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Why a resolution found nothing: the {@code reason} label of {@code teal_discovery_errors_total}. */
enum FailureReason {
    /** No server answered in time. */
    TIMEOUT,
    /** The name does not exist. */
    NXDOMAIN,
    /** The server failed (SERVFAIL, REFUSED and other error codes). */
    SERVER_ERROR,
    /** The name exists but has no records of the type asked (or an SRV target has no address). */
    NO_RECORDS,
    /** Anything else: a socket error, a malformed answer. */
    ERROR;

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads Netty's failure: an UnknownHostException whose cause, when there is one, says why. */
    static FailureReason of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DnsNameResolverTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof DnsErrorCauseException e) {
                return e.getCode() == DnsResponseCode.NXDOMAIN ? NXDOMAIN : SERVER_ERROR;
            }
            if (t instanceof NoRecordsException) {
                return NO_RECORDS;
            }
        }
        // Netty fails with a bare UnknownHostException when every server answered without a record.
        return failure instanceof UnknownHostException && failure.getCause() == null ? NO_RECORDS : ERROR;
    }

    /** A name that resolved but gave nothing teal can connect to. */
    static final class NoRecordsException extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        NoRecordsException(String message) {
            super(message);
        }
    }
}
