package dev.teal.proxy.exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request on the {@code teal.access} logger (key-value pairs, so a JSON encoder
 * renders them as fields). Off unless {@code teal.access-log = true}.
 */
public final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("teal.access");

    private AccessLog() {}

    static void write(
            String client,
            String method,
            String path,
            int status,
            String color,
            String backend,
            long requestBytes,
            long responseBytes,
            long durationNanos) {
        log.atInfo()
                .addKeyValue("client", client)
                .addKeyValue("method", method)
                .addKeyValue("path", path)
                .addKeyValue("status", status)
                .addKeyValue("color", color)
                .addKeyValue("backend", backend)
                .addKeyValue("request_bytes", requestBytes)
                .addKeyValue("response_bytes", responseBytes)
                .addKeyValue("duration_ms", durationNanos / 1_000_000.0)
                .log("{} {} {} {}", method, path, status, color);
    }
}
