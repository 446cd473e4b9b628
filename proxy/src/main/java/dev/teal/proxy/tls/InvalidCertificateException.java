package dev.teal.proxy.tls;

import java.nio.file.Path;

/**
 * A certificate or key file that cannot serve: missing, unreadable, not PEM, a key that does not match its
 * certificate, an expired certificate. The message names the setting, the path and what is wrong, so a
 * start can stop with it and a reload can log it and keep the certificate in service.
 */
public final class InvalidCertificateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidCertificateException(String setting, Path path, String problem, String expected) {
        super(setting + " " + path + ": " + problem + " (expected: " + expected + ")");
    }

    InvalidCertificateException(String message) {
        super(message);
    }
}
