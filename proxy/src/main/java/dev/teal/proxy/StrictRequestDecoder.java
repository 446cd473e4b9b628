package dev.teal.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder with teal's own byte-level check of every request head in front of it. Netty
 * accepts obsolete line folding and is lenient about some control bytes; a proxy must not be, because the
 * backend may read such a head differently (request smuggling, RFC 9112 §5.2, §2.2). A head is checked
 * whole, before Netty parses it: CR only before LF, LF only after CR, no line that starts with a space or a
 * tab, no control byte other than tab. A bad head becomes a request whose decoder result is a failure,
 * which {@link RequestGuard} answers with 400; everything after it is discarded.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    /** Raised for a head that fails the byte-level check. */
    static final class MalformedHeadException extends IllegalArgumentException {
        MalformedHeadException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            // Bad input is expected, not a bug: a stack trace would only cost time.
            return this;
        }
    }

    private final int headLimit;
    private boolean atHead = true;
    private boolean failed;

    // Scan state, kept across calls so a head that trickles in byte by byte is scanned once.
    private int scanStart = -1;
    private int scanned;
    private int lineStart;
    private boolean firstLine;

    StrictRequestDecoder(HttpDecoderConfig config) {
        super(config);
        this.headLimit = config.getMaxInitialLineLength() + config.getMaxHeaderSize() + 4;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (atHead) {
            int verdict = scanHead(in);
            if (verdict == NEED_MORE) {
                return;
            }
            if (verdict == BAD) {
                failed = true;
                in.skipBytes(in.readableBytes());
                out.add(invalid(problem));
                return;
            }
        }
        int before = out.size();
        super.decode(ctx, in, out);
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof LastHttpContent) {
                atHead = true;
                scanStart = -1;
            } else if (o instanceof HttpRequest) {
                atHead = false;
            }
        }
    }

    private static final int NEED_MORE = 0;
    private static final int COMPLETE = 1;
    private static final int BAD = 2;
    /** Also for oversized heads: Netty's own limits then answer them (414/431). */
    private static final int PASS = 3;

    private String problem;

    private int scanHead(ByteBuf in) {
        int start = in.readerIndex();
        if (scanStart != start) {
            // Leading empty lines before a request line may be ignored (RFC 9112 §2.2): Netty skips them.
            int s = start;
            int end = in.writerIndex();
            while (s < end && (in.getByte(s) == '\r' || in.getByte(s) == '\n')) {
                s++;
            }
            scanStart = start;
            scanned = s - start;
            lineStart = s - start;
            firstLine = true;
        }
        int limit = Math.min(in.readableBytes(), headLimit);
        for (int i = scanned; i < limit; i++) {
            byte b = in.getByte(start + i);
            if (b == '\n') {
                if (i == 0 || in.getByte(start + i - 1) != '\r') {
                    return bad("bare LF in the request head (lines must end with CRLF)");
                }
                if (i - 1 == lineStart && !firstLine) {
                    scanned = i + 1;
                    return COMPLETE;
                }
                lineStart = i + 1;
                firstLine = false;
                continue;
            }
            if (i > 0 && in.getByte(start + i - 1) == '\r') {
                return bad("bare CR in the request head");
            }
            if (b == '\r') {
                continue;
            }
            if (i == lineStart && !firstLine && (b == ' ' || b == '\t')) {
                return bad("obsolete line folding in the request head (RFC 9112 §5.2)");
            }
            // Unsigned: bytes of 0x80 and above are obs-text (UTF-8 in a value, RFC 9110 §5.5), not controls.
            int c = b & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return bad("control byte 0x" + Integer.toHexString(c) + " in the request head");
            }
        }
        scanned = limit;
        return in.readableBytes() >= headLimit ? PASS : NEED_MORE;
    }

    private int bad(String message) {
        problem = message;
        return BAD;
    }

    private static HttpRequest invalid(String problem) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        r.setDecoderResult(DecoderResult.failure(new MalformedHeadException(problem)));
        return r;
    }
}
