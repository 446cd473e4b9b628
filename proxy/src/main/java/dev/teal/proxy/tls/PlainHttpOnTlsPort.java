package dev.teal.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Looks at the first byte of a TLS connection: a TLS handshake record (0x16) passes on to the handshake;
 * a request line (an upper-case letter, as every HTTP method starts) gets a plain {@code 400} saying to
 * use https, then the connection closes, instead of the garbage a TLS alert would look like to a browser
 * or curl. Anything else goes to the handshake, which refuses it.
 */
public final class PlainHttpOnTlsPort extends ByteToMessageDecoder {
    private static final byte HANDSHAKE_RECORD = 0x16;
    private static final String BODY = "This port speaks HTTPS: use https:// to reach it.\n";
    private static final byte[] ANSWER = ("HTTP/1.1 400 Bad Request\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + BODY.length() + "\r\n"
                    + "Connection: close\r\n\r\n"
                    + BODY)
            .getBytes(StandardCharsets.US_ASCII);

    private final TlsMeters meters;

    public PlainHttpOnTlsPort(TlsMeters meters) {
        this.meters = meters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if (first != HANDSHAKE_RECORD && first >= 'A' && first <= 'Z') {
            in.skipBytes(in.readableBytes());
            meters.handshakeFailed(TlsMeters.HandshakeError.PLAIN_HTTP);
            ctx.channel().attr(TlsHandshakes.ANSWERED).set(Boolean.TRUE);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(ANSWER)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // Removing a decoder hands what it holds to the next handler.
        ctx.pipeline().remove(this);
    }
}
