package dev.teal.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder with teal's own byte-level check of every request head in front of it. Netty
 * accepts obsolete line folding and is lenient about some control bytes; a proxy must not be, because the
 * backend may read such a head differently (request smuggling, RFC 9112 §5.2, §2.2). A head is checked
 * whole, before Netty parses it: CR only before LF, LF only after CR, no line that starts with a space or a
 * tab, no control byte other than tab, and a request line of exactly {@code method SP target SP HTTP/d.d}
 * (RFC 9112 §3). A bad head becomes a request whose decoder result is a failure, which {@link RequestGuard}
 * answers with 400; everything after it is discarded.
 *
 * <p>A chunked body is checked the same way by {@link ChunkedBodyCheck}, ahead of Netty. The part of it
 * that arrived with the head is checked before the head is passed on, so a bad body sent in one piece with
 * its head never makes teal contact a backend; a bad chunk that arrives later ends the body with a failed
 * {@link LastHttpContent}, which aborts the request upstream. The head of a chunked request waits for the
 * body's first chunk-size line in any case (catalogue row S25): a backend is chosen only once that line is
 * known to be good.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    /** Raised for a head or a chunked body that fails the byte-level check. */
    static final class MalformedRequestException extends IllegalArgumentException {
        MalformedRequestException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            // Bad input is expected, not a bug: a stack trace would only cost time.
            return this;
        }
    }

    /** Raised for a chunked body that arrived with its head and fails the byte-level check. */
    static final class MalformedBodyException extends IllegalArgumentException {
        MalformedBodyException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final int headLimit;
    private final ChunkedBodyCheck chunked;
    private boolean atHead = true;
    private boolean inChunkedBody;
    /** Bytes past the reader index that {@link #chunked} has already scanned. */
    private int chunkedScannedAhead;

    private boolean failed;
    /** A chunked request's head, held until its body's first chunk-size line is whole. */
    private HttpRequest held;

    // Scan state, kept across calls so a head that trickles in byte by byte is scanned once.
    private int scanStart = -1;
    private int scanned;
    private int lineStart;
    private boolean firstLine;
    private int spaces;
    private int lastSpace;

    public StrictRequestDecoder(HttpDecoderConfig config) {
        super(config);
        this.headLimit = config.getMaxInitialLineLength() + config.getMaxHeaderSize() + 4;
        this.chunked = new ChunkedBodyCheck(config.getMaxHeaderSize());
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
                fail(in, out, invalidHead(problem));
                return;
            }
        } else if (inChunkedBody) {
            if (!scanChunked(in)) {
                if (held != null) {
                    refuseHeld(in, out);
                } else {
                    fail(in, out, invalidBody(chunked.problem()));
                }
                return;
            }
            if (held != null) {
                if (!chunked.firstSizeLineSeen()) {
                    return;
                }
                out.add(held);
                held = null;
            }
        }
        int before = out.size();
        boolean scanningBody = inChunkedBody;
        int readerBefore = in.readerIndex();
        super.decode(ctx, in, out);
        if (scanningBody) {
            chunkedScannedAhead = Math.max(0, chunkedScannedAhead - (in.readerIndex() - readerBefore));
        }
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof LastHttpContent) {
                atHead = true;
                inChunkedBody = false;
                scanStart = -1;
            } else if (o instanceof HttpRequest r) {
                atHead = false;
                if (r.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(r)) {
                    inChunkedBody = true;
                    chunkedScannedAhead = 0;
                    chunked.reset();
                    // The body bytes that came with the head are checked before the head goes on: a bad
                    // one marks the request failed, and the guard refuses it after checking its head, so
                    // the answer is the one a client sending the body later would get.
                    if (!scanChunked(in)) {
                        r.setDecoderResult(DecoderResult.failure(
                                new MalformedBodyException("malformed chunked body: " + chunked.problem())));
                        failed = true;
                        in.skipBytes(in.readableBytes());
                        return;
                    }
                    if (!chunked.firstSizeLineSeen()) {
                        // The first chunk-size line has not arrived whole: the head waits for it (under the
                        // head time-out), so a malformed or oversized line is refused before a backend is
                        // chosen. Netty has produced nothing after the head, since it needs that line.
                        out.remove(i);
                        held = r;
                        return;
                    }
                }
            }
        }
    }

    /** Scans the chunked body bytes not scanned yet; false when they are malformed. */
    private boolean scanChunked(ByteBuf in) {
        int from = in.readerIndex() + chunkedScannedAhead;
        if (from >= in.writerIndex()) {
            return true;
        }
        int end = chunked.scan(in, from, in.writerIndex());
        if (end == ChunkedBodyCheck.BAD) {
            return false;
        }
        // Past the body's end come the next request's bytes: those are the head scan's.
        chunkedScannedAhead = (end == ChunkedBodyCheck.NEED_MORE ? in.writerIndex() : end) - in.readerIndex();
        return true;
    }

    /** The held head goes on, failed: the guard refuses it as a bad body after judging its head. */
    private void refuseHeld(ByteBuf in, List<Object> out) {
        held.setDecoderResult(
                DecoderResult.failure(new MalformedBodyException("malformed chunked body: " + chunked.problem())));
        out.add(held);
        held = null;
        failed = true;
        in.skipBytes(in.readableBytes());
    }

    private void fail(ByteBuf in, List<Object> out, Object failure) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(failure);
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
            scanStart = start;
            scanned = 0;
            lineStart = 0;
            firstLine = true;
            spaces = 0;
            lastSpace = -1;
        }
        int limit = Math.min(in.readableBytes(), headLimit);
        for (int i = scanned; i < limit; i++) {
            byte b = in.getByte(start + i);
            if (firstLine && i == lineStart && (b == '\r' || b == '\n')) {
                // Empty lines before a request line may be ignored (RFC 9112 §2.2), and Netty skips
                // them: so does this scan, however the bytes are cut into reads.
                lineStart = i + 1;
                continue;
            }
            if (b == '\n') {
                if (i == 0 || in.getByte(start + i - 1) != '\r') {
                    return bad("bare LF in the request head (lines must end with CRLF)");
                }
                if (i - 1 == lineStart && !firstLine) {
                    scanned = i + 1;
                    return COMPLETE;
                }
                if (firstLine && !requestLine(in, start, i - 1)) {
                    return bad("request line is not 'method SP target SP HTTP/d.d' (RFC 9112 §3)");
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
            if (firstLine && c >= 0x80) {
                // obs-text belongs in field values only: a target is ASCII (RFC 9112 §3.2), and Netty
                // would forward these bytes re-encoded as UTF-8, another target than the client's.
                return bad(
                        "byte 0x" + Integer.toHexString(c) + " in the request line (expected: ASCII; percent-encode)");
            }
            if (firstLine && (b == ' ' || b == '\t')) {
                // One SP between the three parts, nothing else: a backend that splits on runs of
                // whitespace or on tabs would read another target than teal (RFC 9112 §3).
                if (b == '\t' || i == lineStart || in.getByte(start + i - 1) == ' ' || ++spaces > 2) {
                    return bad("request line is not 'method SP target SP HTTP/d.d' (RFC 9112 §3)");
                }
                lastSpace = i;
            }
        }
        scanned = limit;
        return in.readableBytes() >= headLimit ? PASS : NEED_MORE;
    }

    /** Whether the complete first line, ending before {@code end}, has two spaces and ends in HTTP/d.d. */
    private boolean requestLine(ByteBuf in, int start, int end) {
        int v = start + lastSpace + 1;
        return spaces == 2
                && end - (lastSpace + 1) == 8
                && in.getByte(v) == 'H'
                && in.getByte(v + 1) == 'T'
                && in.getByte(v + 2) == 'T'
                && in.getByte(v + 3) == 'P'
                && in.getByte(v + 4) == '/'
                && Character.isDigit(in.getByte(v + 5))
                && in.getByte(v + 6) == '.'
                && Character.isDigit(in.getByte(v + 7));
    }

    private int bad(String message) {
        problem = message;
        return BAD;
    }

    private static HttpRequest invalidHead(String problem) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        r.setDecoderResult(DecoderResult.failure(new MalformedRequestException(problem)));
        return r;
    }

    private static LastHttpContent invalidBody(String problem) {
        LastHttpContent c = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        c.setDecoderResult(DecoderResult.failure(new MalformedRequestException(problem)));
        return c;
    }
}
