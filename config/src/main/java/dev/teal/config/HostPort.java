package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} pair as written in configuration ({@code 0.0.0.0:8080}, {@code [::1]:9901},
 * {@code app.internal:8080}). Port 0 means "any free port" for listeners (used by tests).
 */
public record HostPort(String host, int port) {
    public HostPort {
        requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: '' (expected: a host name or an IP address)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static HostPort parse(String value) {
        requireNonNull(value, "value");
        String expected = " (expected: host:port, e.g. 127.0.0.1:8080 or [::1]:8080)";
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("'" + value + "'" + expected);
        }
        String host = value.substring(0, colon);
        String portText = value.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + value + "': IPv6 addresses need brackets" + expected);
        }
        if (host.isBlank() || !host.chars().allMatch(HostPort::isHostChar)) {
            throw new IllegalArgumentException("'" + value + "': bad host" + expected);
        }
        if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + value + "': bad port" + expected);
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            throw new IllegalArgumentException("'" + value + "': port " + port + " (expected: 0-65535)");
        }
        return new HostPort(host, port);
    }

    private static boolean isHostChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '-'
                || c == ':'
                || c == '_'
                || c == '%';
    }

    /** An unresolved socket address; resolution happens when connecting or binding. */
    public InetSocketAddress toSocketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** True for 127.0.0.0/8, ::1 and {@code localhost}. */
    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
