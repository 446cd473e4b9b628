package dev.teal.proxy.tls;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Whether a client channel arrived over TLS: set by the TLS listener on each connection it accepts (and on
 * each HTTP/2 stream of one), read by the routing (the pin cookie's {@code Secure}) and by the request
 * rewrite ({@code X-Forwarded-Proto}).
 */
public final class ClientTls {
    public static final AttributeKey<Boolean> TLS = AttributeKey.valueOf("teal.tls");

    private ClientTls() {}

    public static boolean isTls(Channel channel) {
        return channel.hasAttr(TLS) && Boolean.TRUE.equals(channel.attr(TLS).get());
    }
}
