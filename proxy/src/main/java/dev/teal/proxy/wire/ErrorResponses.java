package dev.teal.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Answers teal produces itself: a status and a one-line body that says what happened, e.g. {@code 502
 * teal: blue backend 10.0.0.11:8080 refused the connection}.
 */
public final class ErrorResponses {
    private ErrorResponses() {}

    static FullHttpResponse response(HttpResponseStatus status, String message, boolean close) {
        byte[] text = ("teal: " + message + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuf body = Unpooled.wrappedBuffer(text);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    /** Writes the answer from the pipeline's tail (through the encoder) and closes once it is sent. */
    public static ChannelFuture sendAndClose(Channel channel, HttpResponseStatus status, String message) {
        return channel.writeAndFlush(response(status, message, true)).addListener(ChannelFutureListener.CLOSE);
    }
}
