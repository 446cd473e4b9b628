package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request, copied off its Netty buffers so that it can be handled on another thread.
 *
 * @param method the method
 * @param uri the request target as sent
 * @param headers a copy of the headers
 * @param client the peer's address
 * @param local the address the peer connected to
 */
record ApiRequest(
        HttpMethod method, String uri, HttpHeaders headers, InetSocketAddress client, InetSocketAddress local) {
    /** More than this many query parameters is refused rather than silently truncated. */
    static final int MAX_PARAMETERS = 64;

    ApiRequest {
        requireNonNull(method, "method");
        requireNonNull(uri, "uri");
        requireNonNull(headers, "headers");
        requireNonNull(client, "client");
        requireNonNull(local, "local");
    }

    /** The decoded path. @throws ApiException 400 when the target is not a valid origin-form path */
    String path() {
        if (!uri.startsWith("/")) {
            throw ApiError.badRequest("request target: '" + abbreviate(uri) + "' (expected: a path starting with /)")
                    .exception();
        }
        return decoder().path();
    }

    /** The decoded query parameters, in order. @throws ApiException 400 when malformed */
    Map<String, List<String>> query() {
        Map<String, List<String>> parameters = decoder().parameters();
        if (parameters.values().stream().mapToInt(List::size).sum() >= MAX_PARAMETERS) {
            throw ApiError.badRequest("query: too many parameters (expected: fewer than " + MAX_PARAMETERS + ")")
                    .exception();
        }
        return parameters;
    }

    /** The query string as sent, for the audit log. */
    String rawQuery() {
        return decoder().rawQuery();
    }

    private QueryStringDecoder decoder() {
        try {
            // ';' is an ordinary character: only '&' separates parameters, as in curl and browsers.
            QueryStringDecoder decoder =
                    new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, MAX_PARAMETERS, true);
            decoder.path();
            decoder.parameters();
            return decoder;
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("request target: '" + abbreviate(uri) + "' (expected: valid percent-encoding)")
                    .exception();
        }
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }
}
