package dev.teal.admin;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Socket addresses written the way the configuration writes them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
final class SocketAddresses {
    private SocketAddresses() {}

    static String format(InetSocketAddress address) {
        // The numeric address when there is one: a bound channel's address may carry a host name
        // ("localhost") or, with the native transports, none that prints cleanly.
        InetAddress resolved = address.getAddress();
        String host = resolved != null ? resolved.getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
