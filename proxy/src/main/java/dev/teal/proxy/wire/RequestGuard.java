package dev.teal.proxy.wire;

import dev.teal.config.LimitSettings;
import dev.teal.config.TealSettings;
import dev.teal.proxy.metrics.ProxyMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The bad-request guard, right after decoding: a request that failed to decode, or that is well-formed
 * but ambiguous or over a limit, is answered here (400, 413, 414, 417, 431) with a message that says what
 * was wrong, and the connection is closed; nothing of it reaches a backend. Everything after a refused
 * request on the same connection is discarded. What passes is normalised where a backend could read it
 * differently: {@code Transfer-Encoding} becomes exactly {@code chunked}, and trailer fields that would
 * frame, route or authenticate are dropped ({@link TrailerFields}).
 */
public final class RequestGuard extends ChannelInboundHandlerAdapter {
    private final Supplier<TealSettings> settings;
    private final ProxyMetrics metrics;
    private boolean refused;

    public RequestGuard(Supplier<TealSettings> settings, ProxyMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            Refusal refusal = check(request, settings.get());
            if (refusal != null) {
                refused = true;
                ReferenceCountUtil.release(msg);
                metrics.refused(refusal.reason);
                ErrorResponses.sendAndClose(ctx.channel(), refusal.status, refusal.message);
                return;
            }
            if (HttpUtil.isTransferEncodingChunked(request)) {
                // Forwarded in exactly one spelling: the framing the backend reads is the one teal decoded.
                request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (msg instanceof LastHttpContent last) {
            TrailerFields.strip(
                    last.trailingHeaders(), settings.get().forwarding().dropUnderscoreHeaders());
        }
        ctx.fireChannelRead(msg);
    }

    private record Refusal(HttpResponseStatus status, ProxyMetrics.Refusal reason, String message) {
        static Refusal bad(String message) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, ProxyMetrics.Refusal.BAD_REQUEST, message);
        }
    }

    static Refusal check(HttpRequest request, TealSettings settings) {
        LimitSettings limits = settings.limits();
        DecoderResult result = request.decoderResult();
        // A head that decoded, whose body (sent with it) did not, is judged on its head first: the answer
        // must not depend on whether the body came in the same read.
        boolean badBody = result.isFailure() && result.cause() instanceof StrictRequestDecoder.MalformedBodyException;
        if (result.isFailure() && !badBody) {
            return decodingFailure(result.cause());
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            return Refusal.bad("unsupported protocol version " + version.text() + " (expected: HTTP/1.0 or HTTP/1.1)");
        }
        HttpHeaders headers = request.headers();
        if (headers.size() > limits.maxHeaderCount()) {
            return new Refusal(
                    HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    ProxyMetrics.Refusal.HEADERS_TOO_LARGE,
                    headers.size() + " header fields (expected: at most " + limits.maxHeaderCount() + ")");
        }
        String target = request.uri();
        if (target.isEmpty()
                || !(target.charAt(0) == '/'
                        || target.equals("*")
                        || target.startsWith("http://")
                        || target.startsWith("https://"))) {
            return Refusal.bad("bad request target '" + printable(target) + "'");
        }
        if (target.equals("*") && !request.method().equals(HttpMethod.OPTIONS)) {
            return Refusal.bad("request target * is only for OPTIONS");
        }
        if (target.indexOf('#') >= 0) {
            // A fragment is the client's own business and never sent (RFC 9110 §4.2.5); a backend would read
            // the path up to it, or not: either way teal would route another request than it checked.
            return Refusal.bad("request target with a #fragment '" + printable(target)
                    + "' (expected: no fragment, RFC 9112 §3.2)");
        }
        String authority = null;
        if (target.charAt(0) != '/' && !target.equals("*")) {
            authority = authority(target);
            if (authority.indexOf('@') >= 0) {
                // user-info is deprecated in http(s) URIs (RFC 9110 §4.2.4) and only ever used to mislead.
                return Refusal.bad("request target with user-info '" + printable(target)
                        + "' (expected: no user@ in the authority, RFC 9110 §4.2.4)");
            }
            if (!validHost(authority)) {
                return Refusal.bad("bad authority in the request target '" + printable(target) + "'");
            }
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            return new Refusal(
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    ProxyMetrics.Refusal.BAD_REQUEST,
                    "CONNECT is not supported by a reverse proxy");
        }
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return Refusal.bad("more than one Host header");
        }
        if (hosts.isEmpty() && version.equals(HttpVersion.HTTP_1_1)) {
            return Refusal.bad("HTTP/1.1 request without a Host header (RFC 9112 §3.2)");
        }
        if (!hosts.isEmpty() && !validHost(hosts.get(0))) {
            return Refusal.bad("bad Host header '" + printable(hosts.get(0)) + "'");
        }
        Refusal name = headerNames(headers, limits.maxHeaderName());
        if (name != null) {
            return name;
        }
        if (authority == null && !hosts.isEmpty()) {
            authority = hosts.get(0);
        }
        if (settings.hosts().restricted()
                && (authority == null || !settings.hosts().serves(authority))) {
            return new Refusal(
                    HttpResponseStatus.MISDIRECTED_REQUEST,
                    ProxyMetrics.Refusal.MISDIRECTED,
                    "teal does not serve '" + (authority == null ? "" : printable(authority))
                            + "' (the authorities served are in teal.hosts)");
        }
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()
                && (codings.size() > 1
                        || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(
                                codings.get(0).trim()))) {
            // Only "chunked" is ever forwarded (as NGINX does): a list, even a valid one such as
            // "gzip, chunked", or an empty element (",chunked") is a framing some backend reads otherwise.
            return Refusal.bad("Transfer-Encoding '" + printable(String.join(", ", codings))
                    + "' (expected: chunked, the one transfer coding teal forwards)");
        }
        if (limits.bodySizeLimited() && HttpUtil.getContentLength(request, 0L) > limits.maxBodySize()) {
            return new Refusal(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    ProxyMetrics.Refusal.BODY_TOO_LARGE,
                    "request body of " + HttpUtil.getContentLength(request, 0L) + " bytes (expected: at most "
                            + limits.maxBodySize() + ")");
        }
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
            return new Refusal(
                    HttpResponseStatus.EXPECTATION_FAILED,
                    ProxyMetrics.Refusal.EXPECTATION_FAILED,
                    "unsupported expectation '" + printable(expect) + "' (expected: 100-continue)");
        }
        if (badBody) {
            return decodingFailure(result.cause());
        }
        return null;
    }

    /** Names are bounded apart from the block: a 10 KiB name fits the block, and no backend expects one. */
    private static Refusal headerNames(HttpHeaders headers, int max) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            CharSequence name = it.next().getKey();
            if (name.length() > max) {
                return new Refusal(
                        HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        ProxyMetrics.Refusal.HEADERS_TOO_LARGE,
                        "header field name of " + name.length() + " bytes starting '"
                                + printable(name.subSequence(0, Math.min(20, name.length()))
                                        .toString()) + "' (expected: at most " + max
                                + ", teal.limits.max-header-name)");
            }
        }
        return null;
    }

    /** The authority of an absolute-form target ({@code http://authority/path?query}), possibly empty. */
    static String authority(String target) {
        int start = target.indexOf("//") + 2;
        int end = start;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        return target.substring(start, end);
    }

    private static Refusal decodingFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new Refusal(
                    HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    ProxyMetrics.Refusal.URI_TOO_LONG,
                    "request line too long (" + cause.getMessage() + ")");
        }
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            return new Refusal(
                    HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    ProxyMetrics.Refusal.HEADERS_TOO_LARGE,
                    "request header block too large (" + cause.getMessage() + ")");
        }
        return Refusal.bad("malformed request: " + printable(String.valueOf(cause.getMessage())));
    }

    /** RFC 9110 §7.2: uri-host [ ":" port ], no whitespace or controls; brackets for IPv6. */
    static boolean validHost(String host) {
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '-'
                    || c == ':'
                    || c == '['
                    || c == ']'
                    || c == '_'
                    || c == '~'
                    || c == '%';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Messages echo what the client sent only as printable ASCII, at most 100 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
