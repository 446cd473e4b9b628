package dev.teal.proxy.wire;

import dev.teal.config.ForwardingSettings;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Prepares a backend's response head for the client and decides what each side's connection can do after
 * it: the framing rules of RFC 9112 §6.3 as they apply to a proxy that may speak HTTP/1.1 to the backend
 * and HTTP/1.0 to the client.
 */
public final class ResponseHead {
    /** Whether the backend connection may carry another request after this response. */
    public boolean upstreamReusable;
    /** Whether the client connection may carry another request after this response. */
    public boolean clientKeepAlive;

    /**
     * @param clientKeepAlive whether the client connection could stay open so far
     * @param clientVersion the client's protocol version
     * @param answersHead whether the response answers a HEAD request
     */
    public void prepare(
            HttpResponse response,
            boolean clientKeepAlive,
            HttpVersion clientVersion,
            boolean answersHead,
            ForwardingSettings forwarding) {
        HttpHeaders h = response.headers();
        int code = response.status().code();
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHop.strip(h);
        boolean bodiless = answersHead || code == 204 || code == 304 || code < 200;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean delimitedByClose = !bodiless && !chunked && !h.contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean http10Client = clientVersion.minorVersion() == 0;
        if (delimitedByClose) {
            // The backend ends this body by closing. An HTTP/1.1 client can keep its connection if we
            // re-frame the body as chunks; an HTTP/1.0 client learns the end by our close too.
            upstreamKeepAlive = false;
            if (http10Client) {
                clientKeepAlive = false;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        } else if (chunked && http10Client && !bodiless) {
            HttpUtil.setTransferEncodingChunked(response, false);
            clientKeepAlive = false;
        }
        if (forwarding.via()) {
            String version = response.protocolVersion().minorVersion() == 0 ? "1.0 " : "1.1 ";
            String prior = h.get(HttpHeaderNames.VIA);
            h.set(HttpHeaderNames.VIA, (prior == null ? "" : prior + ", ") + version + forwarding.viaName());
        }
        if (!clientKeepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        this.upstreamReusable = upstreamKeepAlive;
        this.clientKeepAlive = clientKeepAlive;
    }
}
