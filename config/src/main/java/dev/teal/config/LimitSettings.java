package dev.teal.config;

/**
 * Limits on what a client may send ({@code teal.limits}).
 *
 * @param maxRequestLine bytes of the request line; longer gets 414 (default 8KiB)
 * @param maxHeaderSize bytes of the header block; larger gets 431 (default 16KiB). It bounds each value too
 * @param maxHeaderName bytes of one header field name; longer gets 431 (default 256)
 * @param maxHeaderCount header fields in one request; more gets 431 (default 100)
 * @param maxBodySize bytes of one request body; larger gets 413 (default 100MiB; 0 = no limit)
 * @param maxConnections client connections open at once; more are closed at accept ({@value
 *     #AUTO_MAX_CONNECTIONS} when {@code auto}, the default)
 * @param maxRequestsPerConnection requests on one keep-alive connection; the last one is answered with
 *     {@code Connection: close} (default 10000)
 * @param maxConnectionsAuto whether {@code max-connections} was left at {@code auto}: then teal lowers it at
 *     start to what the process's descriptor limit fits, where the configured number is refused instead
 */
public record LimitSettings(
        int maxRequestLine,
        int maxHeaderSize,
        int maxHeaderName,
        int maxHeaderCount,
        long maxBodySize,
        int maxConnections,
        int maxRequestsPerConnection,
        boolean maxConnectionsAuto) {
    /** What {@code max-connections = auto} starts from, before fitting it to the descriptor limit. */
    public static final int AUTO_MAX_CONNECTIONS = 10000;

    public LimitSettings {
        Checks.atLeast(maxRequestLine, 64, "max-request-line");
        Checks.atLeast(maxHeaderSize, 256, "max-header-size");
        Checks.atLeast(maxHeaderName, 1, "max-header-name");
        Checks.atLeast(maxHeaderCount, 1, "max-header-count");
        Checks.atLeast(maxBodySize, 0, "max-body-size");
        Checks.atLeast(maxConnections, 1, "max-connections");
        Checks.atLeast(maxRequestsPerConnection, 1, "max-requests-per-connection");
    }

    /** The same limits with {@code connections} as a fixed connection limit. */
    public LimitSettings withMaxConnections(int connections) {
        return new LimitSettings(
                maxRequestLine,
                maxHeaderSize,
                maxHeaderName,
                maxHeaderCount,
                maxBodySize,
                connections,
                maxRequestsPerConnection,
                false);
    }

    public boolean bodySizeLimited() {
        return maxBodySize > 0;
    }
}
