package dev.teal.proxy.wire;

import io.netty.buffer.ByteBuf;

/**
 * teal's own check of a chunked request body, byte by byte and ahead of Netty's decoder (RFC 9112 §7.1):
 * a chunk size of 1 to 16 hex digits and at most 2 GiB, chunk extensions without bare CR, LF or control
 * bytes, chunk data followed by exactly CRLF, and a trailer section of {@code name: value} lines with token
 * names, no folding and no control bytes. Netty accepts a 17-digit size with leading zeros and unfolds
 * folded trailers; a backend may not, so teal refuses them instead of re-framing them.
 *
 * <p>Incremental: {@link #scan} is called with whatever bytes have arrived and resumes where it stopped.
 * Chunk data is skipped, not read, so a large upload costs a few comparisons per chunk.
 */
public final class ChunkedBodyCheck {
    /** More bytes are needed to reach the end of the body. */
    static final int NEED_MORE = -1;
    /** The body is malformed: see {@link #problem()}. */
    static final int BAD = -2;

    private static final int MAX_SIZE_DIGITS = 16;
    private static final int MAX_EXTENSION = 4096;

    private enum State {
        SIZE,
        SIZE_WHITESPACE,
        EXTENSION,
        SIZE_LF,
        DATA,
        DATA_CR,
        DATA_LF,
        TRAILER_START,
        TRAILER_NAME,
        TRAILER_VALUE,
        TRAILER_LF,
        END_LF,
        END
    }

    private final int maxTrailerBytes;
    private State state = State.SIZE;
    private int digits;
    private long size;
    private long dataLeft;
    private int lineBytes;
    private int trailerBytes;
    private boolean firstSizeLineSeen;
    private String problem;

    ChunkedBodyCheck(int maxTrailerBytes) {
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /** Starts over, for the next chunked request on the connection. */
    void reset() {
        state = State.SIZE;
        digits = 0;
        size = 0;
        dataLeft = 0;
        lineBytes = 0;
        trailerBytes = 0;
        firstSizeLineSeen = false;
        problem = null;
    }

    /**
     * Whether the body's first chunk-size line (size, extensions, CRLF) has been scanned whole: until then
     * the request's head is held back, so a bad or endless first line never reaches a backend.
     */
    boolean firstSizeLineSeen() {
        return firstSizeLineSeen;
    }

    String problem() {
        return problem;
    }

    /**
     * Scans {@code in} from index {@code from} (inclusive) to {@code to} (exclusive), continuing the body
     * where the previous call stopped.
     *
     * @return the index just past the body's last byte when the body ends in this range, {@link #NEED_MORE}
     *     or {@link #BAD}
     */
    int scan(ByteBuf in, int from, int to) {
        if (state == State.END) {
            // What follows the body is the next request's: the head check's business, not this one's.
            return from;
        }
        int i = from;
        while (i < to) {
            if (state == State.DATA) {
                int n = (int) Math.min(dataLeft, to - i);
                dataLeft -= n;
                i += n;
                if (dataLeft == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            if (!step(in.getByte(i))) {
                return BAD;
            }
            i++;
            if (state == State.END) {
                return i;
            }
        }
        return state == State.END ? to : NEED_MORE;
    }

    private boolean step(byte b) {
        switch (state) {
            case SIZE -> {
                int d = hex(b);
                if (d >= 0) {
                    if (++digits > MAX_SIZE_DIGITS) {
                        return bad("chunk size of more than " + MAX_SIZE_DIGITS + " hex digits");
                    }
                    size = size * 16 + d;
                    if (size > Integer.MAX_VALUE) {
                        return bad("chunk size over " + Integer.MAX_VALUE + " bytes");
                    }
                    return true;
                }
                if (digits == 0) {
                    return bad("chunk size is not a hex number");
                }
                return afterSize(b);
            }
            case SIZE_WHITESPACE -> {
                // Whitespace after the size is only allowed before an extension (RFC 9112 §7.1.1 BWS), and
                // counts against the extension's bound: an endless run of it is as costly as a long one.
                if (b == ' ' || b == '\t') {
                    return ++lineBytes <= MAX_EXTENSION || bad("chunk extension over " + MAX_EXTENSION + " bytes");
                }
                if (b == ';') {
                    state = State.EXTENSION;
                    return true;
                }
                return bad("bad character after the chunk size");
            }
            case EXTENSION -> {
                if (b == '\r') {
                    state = State.SIZE_LF;
                    return true;
                }
                if (b != '\t' && control(b)) {
                    return bad(b == '\n' ? "bare LF in a chunk extension" : "bad chunk extension");
                }
                return ++lineBytes <= MAX_EXTENSION || bad("chunk extension over " + MAX_EXTENSION + " bytes");
            }
            case SIZE_LF -> {
                if (b != '\n') {
                    return bad("bare CR in a chunk size line");
                }
                firstSizeLineSeen = true;
                lineBytes = 0;
                if (size == 0) {
                    state = State.TRAILER_START;
                } else {
                    dataLeft = size;
                    state = State.DATA;
                }
                return true;
            }
            case DATA_CR -> {
                if (b != '\r') {
                    return bad("chunk data not followed by CRLF");
                }
                state = State.DATA_LF;
                return true;
            }
            case DATA_LF -> {
                if (b != '\n') {
                    return bad("chunk data not followed by CRLF");
                }
                state = State.SIZE;
                digits = 0;
                size = 0;
                return true;
            }
            case TRAILER_START -> {
                if (b == '\r') {
                    state = State.END_LF;
                    return true;
                }
                if (b == ' ' || b == '\t') {
                    return bad("obsolete line folding in the trailer section (RFC 9112 §5.2)");
                }
                state = State.TRAILER_NAME;
                lineBytes = 0;
                return trailerName(b);
            }
            case TRAILER_NAME -> {
                return trailerName(b);
            }
            case TRAILER_VALUE -> {
                if (++trailerBytes > maxTrailerBytes) {
                    return bad("trailer section over " + maxTrailerBytes + " bytes");
                }
                if (b == '\r') {
                    state = State.TRAILER_LF;
                    return true;
                }
                if (b != '\t' && control(b)) {
                    return bad("control byte 0x" + Integer.toHexString(b & 0xff) + " in a trailer field");
                }
                return true;
            }
            case TRAILER_LF -> {
                if (b != '\n') {
                    return bad("bare CR in the trailer section");
                }
                state = State.TRAILER_START;
                return true;
            }
            case END_LF -> {
                if (b != '\n') {
                    return bad("bare CR at the end of the trailer section");
                }
                state = State.END;
                return true;
            }
            default -> {
                return bad("bytes after the end of the body");
            }
        }
    }

    private boolean afterSize(byte b) {
        switch (b) {
            case '\r' -> state = State.SIZE_LF;
            case ';' -> state = State.EXTENSION;
            case ' ', '\t' -> {
                state = State.SIZE_WHITESPACE;
                lineBytes = 1;
            }
            default -> {
                return bad(b == '\n' ? "bare LF after a chunk size" : "bad character in the chunk size");
            }
        }
        return true;
    }

    private boolean trailerName(byte b) {
        if (++trailerBytes > maxTrailerBytes) {
            return bad("trailer section over " + maxTrailerBytes + " bytes");
        }
        if (b == ':') {
            if (lineBytes == 0) {
                return bad("empty trailer field name");
            }
            state = State.TRAILER_VALUE;
            return true;
        }
        if (!tchar(b)) {
            return bad("bad character 0x" + Integer.toHexString(b & 0xff) + " in a trailer field name");
        }
        lineBytes++;
        return true;
    }

    private boolean bad(String message) {
        problem = message;
        return false;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** Bytes below 0x20 and DEL; 0x80 and above are obs-text, allowed in values as in the head. */
    private static boolean control(byte b) {
        int c = b & 0xff;
        return c < 0x20 || c == 0x7f;
    }

    /** RFC 9110 §5.6.2. */
    static boolean tchar(byte b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }
}
