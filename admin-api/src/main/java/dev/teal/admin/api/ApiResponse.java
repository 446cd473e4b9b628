package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An answer, before it becomes Netty objects (endpoints run off the event loop and never touch buffers).
 *
 * @param status the status
 * @param contentType the body's media type
 * @param body the body
 * @param headers extra headers (never carrying request input: CR/LF injection is impossible by design)
 * @param auditNote what the call did, for the audit log; empty when nothing worth noting
 */
record ApiResponse(
        HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers, String auditNote) {
    static final String JSON = "application/json; charset=utf-8";

    ApiResponse {
        requireNonNull(status, "status");
        requireNonNull(contentType, "contentType");
        requireNonNull(body, "body");
        headers = Map.copyOf(headers);
        requireNonNull(auditNote, "auditNote");
    }

    static ApiResponse json(Object value) {
        return json(HttpResponseStatus.OK, value, "");
    }

    static ApiResponse json(HttpResponseStatus status, Object value, String auditNote) {
        return new ApiResponse(status, JSON, Json.write(value), Map.of(), auditNote);
    }

    static ApiResponse text(HttpResponseStatus status, String contentType, String body) {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of(), "");
    }

    ApiResponse withAuditNote(String note) {
        return new ApiResponse(status, contentType, body, headers, note);
    }
}
