package dev.teal.proxy.wire;

import dev.teal.config.ForwardingSettings;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.Map;

/**
 * Rewrites a request's head for the backend: an absolute-form target becomes origin-form with its
 * authority as {@code Host} (RFC 9112 §3.2.2); hop-by-hop headers out: hop-by-hop headers out (keeping a WebSocket upgrade),
 * {@code X-Forwarded-For} appended with the peer, {@code X-Forwarded-Proto}/{@code -Host} and {@code
 * Forwarded} set by teal (never trusted from the client), {@code Via} appended, underscore names dropped.
 */
public final class RequestHeaders {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");

    private final String peer;
    private final String forwardedFor;
    private final String proto;

    public RequestHeaders(SocketAddress remote) {
        this(remote, false);
    }

    /** @param tls whether the client connection is TLS: then {@code X-Forwarded-Proto} says https */
    public RequestHeaders(SocketAddress remote, boolean tls) {
        proto = tls ? "https" : "http";
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            peer = inet.getAddress().getHostAddress();
        } else {
            peer = "unknown";
        }
        // RFC 7239 §6: IPv6 addresses are quoted and bracketed.
        forwardedFor = peer.indexOf(':') >= 0 ? "\"[" + peer + "]\"" : peer;
    }

    /** The client's address as written into {@code X-Forwarded-For} and the access log. */
    public String peer() {
        return peer;
    }

    public void rewrite(HttpRequest request, ForwardingSettings forwarding) {
        HttpHeaders h = request.headers();
        toOriginForm(request);
        String upgrade = webSocketUpgrade(request);
        HopByHop.strip(h);
        if (upgrade != null) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        if (forwarding.dropUnderscoreHeaders()) {
            dropUnderscoreNames(h);
        }
        h.remove(FORWARDED);
        String host = h.get(HttpHeaderNames.HOST);
        if (forwarding.xForwarded()) {
            String prior = h.get(X_FORWARDED_FOR);
            h.remove(X_FORWARDED_FOR);
            h.set(X_FORWARDED_FOR, prior == null || prior.isBlank() ? peer : prior + ", " + peer);
            h.set(X_FORWARDED_PROTO, proto);
            if (host != null) {
                h.set(X_FORWARDED_HOST, host);
            } else {
                h.remove(X_FORWARDED_HOST);
            }
        }
        if (forwarding.forwarded()) {
            h.set(
                    FORWARDED,
                    "for=" + forwardedFor + ";proto=" + proto + (host == null ? "" : ";host=\"" + host + "\""));
        }
        if (forwarding.via()) {
            String version = request.protocolVersion().minorVersion() == 0 ? "1.0 " : "1.1 ";
            String prior = h.get(HttpHeaderNames.VIA);
            h.set(HttpHeaderNames.VIA, (prior == null ? "" : prior + ", ") + version + forwarding.viaName());
        }
    }

    private static void toOriginForm(HttpRequest request) {
        String target = request.uri();
        if (!target.startsWith("http://") && !target.startsWith("https://")) {
            return;
        }
        int authorityStart = target.indexOf("//") + 2;
        int pathStart = target.indexOf('/', authorityStart);
        int queryStart = target.indexOf('?', authorityStart);
        int end = pathStart < 0 ? (queryStart < 0 ? target.length() : queryStart) : pathStart;
        if (queryStart >= 0 && queryStart < end) {
            end = queryStart;
        }
        String authority = target.substring(authorityStart, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        String rest = target.substring(end);
        request.setUri(rest.isEmpty() ? "/" : rest.startsWith("?") ? "/" + rest : rest);
        if (!authority.isEmpty()) {
            request.headers().set(HttpHeaderNames.HOST, authority);
        }
    }

    /** The Upgrade value to keep: only a WebSocket upgrade of a GET (RFC 6455 §4.1); others are dropped. */
    private static String webSocketUpgrade(HttpRequest request) {
        HttpHeaders h = request.headers();
        String upgrade = h.get(HttpHeaderNames.UPGRADE);
        if (upgrade == null
                || !request.method().equals(HttpMethod.GET)
                || !HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(upgrade.trim())
                || !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return null;
        }
        return upgrade.trim();
    }

    private static void dropUnderscoreNames(HttpHeaders h) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence();
        java.util.List<CharSequence> doomed = null;
        while (it.hasNext()) {
            CharSequence name = it.next().getKey();
            if (AsciiString.indexOf(name, '_', 0) >= 0) {
                if (doomed == null) {
                    doomed = new java.util.ArrayList<>(2);
                }
                doomed.add(name);
            }
        }
        if (doomed != null) {
            doomed.forEach(h::remove);
        }
    }
}
