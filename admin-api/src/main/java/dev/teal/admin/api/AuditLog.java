package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per mutating call (and per refused credential) to the {@code teal.audit} logger: when, from
 * where, what, with which parameters, and how it ended. Values are quoted and escaped, so a parameter
 * cannot forge a line.
 */
final class AuditLog {
    static final String LOGGER = "teal.audit";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final Clock clock;

    AuditLog(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    void record(ApiRequest request, String path, ApiResponse response) {
        String query = request.uri().indexOf('?') >= 0
                ? request.uri().substring(request.uri().indexOf('?') + 1)
                : "";
        log.info(
                "time={} client={} call={} params={} status={} result={}",
                clock.instant(),
                quote(request.client().getAddress().getHostAddress() + ":"
                        + request.client().getPort()),
                quote(request.method().name() + " " + path),
                quote(query),
                response.status().code(),
                quote(response.auditNote()));
    }

    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length() && i < 500; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > 500) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
