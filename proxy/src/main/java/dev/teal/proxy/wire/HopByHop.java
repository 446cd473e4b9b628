package dev.teal.proxy.wire;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, so they never cross the proxy in
 * either direction. Framing ({@code Content-Length}, {@code Transfer-Encoding}) is the codecs' business and
 * is handled by the caller.
 */
public final class HopByHop {
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final List<AsciiString> FIXED = List.of(
            HttpHeaderNames.KEEP_ALIVE,
            PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.UPGRADE);

    private static final List<AsciiString> PROTECTED =
            List.of(HttpHeaderNames.HOST, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING);

    private HopByHop() {}

    /** Removes {@code Connection}, the headers it names, and the fixed hop-by-hop set. */
    public static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    // A peer may not make us drop framing or the target: "Connection: Content-Length"
                    // would otherwise turn a length-delimited message into something else downstream.
                    if (!name.isEmpty()
                            && !PROTECTED.contains(AsciiString.of(name).toLowerCase())) {
                        headers.remove(name);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        for (AsciiString name : FIXED) {
            headers.remove(name);
        }
    }
}
