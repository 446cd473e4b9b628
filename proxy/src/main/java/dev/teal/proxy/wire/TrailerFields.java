package dev.teal.proxy.wire;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Request trailer fields a backend must not act on, dropped before the trailer section is forwarded: a
 * trailer can only add metadata about the content, never frame, route, authenticate or control the request
 * (RFC 9110 §6.5.1). A backend that merges trailers into the head would otherwise take a {@code Host} or an
 * {@code Authorization} that teal never checked. Netty already drops {@code Content-Length}, {@code
 * Transfer-Encoding} and {@code Trailer}; they are listed anyway, so the rule does not depend on it.
 */
public final class TrailerFields {
    private static final Set<String> FORBIDDEN = Set.of(
            // framing
            "content-length",
            "transfer-encoding",
            "trailer",
            // routing and connection
            "host",
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "upgrade",
            // request modifiers
            "cache-control",
            "expect",
            "max-forwards",
            "pragma",
            "range",
            "if-match",
            "if-none-match",
            "if-modified-since",
            "if-unmodified-since",
            "if-range",
            // authentication and state
            "authorization",
            "proxy-authorization",
            "cookie",
            // content handling
            "content-encoding",
            "content-type",
            "content-range",
            // what teal sets itself
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-proto",
            "x-forwarded-host",
            "via");

    private TrailerFields() {}

    /** Removes the forbidden fields, and names with an underscore when those are dropped from heads too. */
    static void strip(HttpHeaders trailers, boolean dropUnderscoreNames) {
        if (trailers.isEmpty()) {
            return;
        }
        List<String> doomed = new ArrayList<>(2);
        for (String name : trailers.names()) {
            if (FORBIDDEN.contains(name.toLowerCase(Locale.ROOT)) || (dropUnderscoreNames && name.indexOf('_') >= 0)) {
                doomed.add(name);
            }
        }
        doomed.forEach(trailers::remove);
    }
}
