package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error shape of the admin API: {@code {"error": "...", "detail": "..."}}. {@code error} is a short
 * fixed phrase per kind of failure (scripts may match on it); {@code detail} names the thing, the value
 * and what was expected.
 *
 * @param status the HTTP status
 * @param error the kind of failure
 * @param detail what exactly was wrong and what is accepted
 * @param headers headers the status needs ({@code Allow}, {@code WWW-Authenticate})
 * @param more fields after {@code error} and {@code detail}, such as the phase whose failure refused a
 *     ramp
 */
record ApiError(
        HttpResponseStatus status, String error, String detail, Map<String, String> headers, Map<String, Object> more) {
    ApiError {
        requireNonNull(status, "status");
        requireNonNull(error, "error");
        requireNonNull(detail, "detail");
        headers = Map.copyOf(headers);
        more = Collections.unmodifiableMap(new LinkedHashMap<>(more));
    }

    ApiError(HttpResponseStatus status, String error, String detail, Map<String, String> headers) {
        this(status, error, detail, headers, Map.of());
    }

    static ApiError of(HttpResponseStatus status, String error, String detail) {
        return new ApiError(status, error, detail, Map.of());
    }

    /** This error with one more field in its body. */
    ApiError with(String field, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>(more);
        fields.put(field, value);
        return new ApiError(status, error, detail, headers, fields);
    }

    static ApiError badRequest(String detail) {
        return of(HttpResponseStatus.BAD_REQUEST, "bad request", detail);
    }

    static ApiError unauthorized(String detail) {
        return new ApiError(
                HttpResponseStatus.UNAUTHORIZED,
                "unauthorized",
                detail,
                Map.of("WWW-Authenticate", "Bearer realm=\"teal-admin\""));
    }

    static ApiError forbidden(String detail) {
        return of(HttpResponseStatus.FORBIDDEN, "forbidden", detail);
    }

    static ApiError notFound(String path) {
        return of(HttpResponseStatus.NOT_FOUND, "not found", "no such resource: " + path);
    }

    static ApiError methodNotAllowed(String method, String path, String allowed) {
        return new ApiError(
                HttpResponseStatus.METHOD_NOT_ALLOWED,
                "method not allowed",
                method + " " + path + " (expected: " + allowed + ")",
                Map.of("Allow", allowed));
    }

    static ApiError conflict(String detail) {
        return of(HttpResponseStatus.CONFLICT, "conflict", detail);
    }

    static ApiError unavailable(String error, String detail) {
        return of(HttpResponseStatus.SERVICE_UNAVAILABLE, error, detail);
    }

    static ApiError internal(String detail) {
        return of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error", detail);
    }

    ApiException exception() {
        return new ApiException(this);
    }

    ApiResponse toResponse() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        body.putAll(more);
        return new ApiResponse(status, ApiResponse.JSON, Json.write(body), headers, detail);
    }
}
