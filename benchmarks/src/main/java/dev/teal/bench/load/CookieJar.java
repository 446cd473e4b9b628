package dev.teal.bench.load;

import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.ClientCookieEncoder;
import io.netty.handler.codec.http.cookie.Cookie;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cookies one simulated client holds, as a browser would for one origin and path {@code /}: every
 * {@code Set-Cookie} of a response replaces the cookie of that name, {@code Max-Age=0} (or negative) removes
 * it, and the next request sends them all in one {@code Cookie} header. Domain, path, expiry dates and
 * {@code Secure} are not looked at: the load scripts talk to one plain-HTTP origin whose cookies all have
 * path {@code /}. The header is built only when the jar changes, so a returning client costs nothing per
 * request. Not thread-safe: a jar belongs to the event loop of the load run.
 */
final class CookieJar {
    private final Map<String, Cookie> cookies = new LinkedHashMap<>();
    private String header;

    /** Stores what a response's {@code Set-Cookie} fields say; values that do not parse are ignored. */
    void store(List<String> setCookies) {
        boolean changed = false;
        for (String field : setCookies) {
            Cookie cookie = ClientCookieDecoder.LAX.decode(field);
            if (cookie == null) {
                continue;
            }
            if (cookie.maxAge() != Cookie.UNDEFINED_MAX_AGE && cookie.maxAge() <= 0) {
                changed |= cookies.remove(cookie.name()) != null;
            } else {
                Cookie previous = cookies.put(cookie.name(), cookie);
                changed |= previous == null || !previous.value().equals(cookie.value());
            }
        }
        if (changed) {
            header = cookies.isEmpty() ? null : ClientCookieEncoder.LAX.encode(cookies.values());
        }
    }

    /** The {@code Cookie} header's value for the next request, or null when the jar is empty. */
    String header() {
        return header;
    }

    int size() {
        return cookies.size();
    }
}
