package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per mutating call (and per refused credential) to the {@code teal.audit} logger: when, from
 * where, what, with which parameters, and how it ended, as key-value pairs (fields of their own in the JSON
 * line the production logging writes). The message quotes and escapes its values, so a parameter cannot
 * forge a line in a plain-text log either.
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
        String client = request.client().getAddress().getHostAddress() + ":"
                + request.client().getPort();
        String call = request.method().name() + " " + path;
        // Fields of their own in the JSON line (the encoder escapes them); the message repeats the
        // essentials, quoted, for a reader of the plain text.
        log.atInfo()
                .addKeyValue("time", Times.iso(clock.instant()))
                .addKeyValue("client", client)
                .addKeyValue("call", call)
                .addKeyValue("params", query)
                .addKeyValue("status", response.status().code())
                .addKeyValue("result", response.auditNote())
                .log("{} {} {} {}", quote(call), quote(query), response.status().code(), quote(response.auditNote()));
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
