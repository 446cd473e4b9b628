package dev.teal.config;

/**
 * Limits on what a client may send ({@code teal.limits}).
 *
 * @param maxRequestLine bytes of the request line; longer gets 414 (default 8KiB)
 * @param maxHeaderSize bytes of the header block; larger gets 431 (default 16KiB)
 * @param maxHeaderCount header fields in one request; more gets 431 (default 100)
 * @param maxBodySize bytes of one request body; larger gets 413 (default 100MiB; 0 = no limit)
 * @param maxConnections client connections open at once; more are closed at accept (default 10000)
 * @param maxRequestsPerConnection requests on one keep-alive connection; the last one is answered with
 *     {@code Connection: close} (default 10000)
 */
public record LimitSettings(
        int maxRequestLine,
        int maxHeaderSize,
        int maxHeaderCount,
        long maxBodySize,
        int maxConnections,
        int maxRequestsPerConnection) {
    public LimitSettings {
        Checks.atLeast(maxRequestLine, 64, "max-request-line");
        Checks.atLeast(maxHeaderSize, 256, "max-header-size");
        Checks.atLeast(maxHeaderCount, 1, "max-header-count");
        Checks.atLeast(maxBodySize, 0, "max-body-size");
        Checks.atLeast(maxConnections, 1, "max-connections");
        Checks.atLeast(maxRequestsPerConnection, 1, "max-requests-per-connection");
    }

    public boolean bodySizeLimited() {
        return maxBodySize > 0;
    }
}
