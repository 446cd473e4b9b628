package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A {@code host:port} pair as written in configuration ({@code 0.0.0.0:8080}, {@code [::1]:9901},
 * {@code app.internal:8080}). Port 0 means "any free port" for listeners (used by tests).
 *
 * @param host a host name, an IPv4 address, or an IPv6 address without brackets
 * @param port 0-65535
 */
public record HostPort(String host, int port) {
    private static final String FORM = "host:port, such as 0.0.0.0:8080, app.internal:8080 or [::1]:8080";

    public HostPort {
        requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or an IP address)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}. The host is a DNS name (letters, digits, {@code -}
     * and {@code _} in dot-separated labels), a dotted-quad IPv4 address, or a bracketed IPv6 address;
     * nothing is resolved.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static HostPort parse(String value) {
        requireNonNull(value, "value");
        String host;
        String portText;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || !value.startsWith(":", close + 1)) {
                throw new UnexpectedValueException(
                        value, "host:port with an IPv6 host in brackets, such as [::1]:8080");
            }
            host = value.substring(1, close);
            portText = value.substring(close + 2);
            if (IpAddresses.ipv6(host).isEmpty()) {
                throw new UnexpectedValueException(
                        value, "host:port with a valid IPv6 address in the brackets, such as [::1]:8080");
            }
        } else {
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                throw new UnexpectedValueException(value, FORM);
            }
            host = value.substring(0, colon);
            portText = value.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new UnexpectedValueException(
                        value, "host:port with brackets around an IPv6 host, such as [::1]:8080");
            }
            if (!isHostNameOrIpv4(host)) {
                throw new UnexpectedValueException(
                        value, "host:port with a host name or an IPv4 address as host, such as app.internal:8080");
            }
        }
        int port = port(portText);
        if (port < 0) {
            throw new UnexpectedValueException(value, "host:port with a numeric port 0-65535, such as 0.0.0.0:8080");
        }
        return new HostPort(host, port);
    }

    private static boolean isHostNameOrIpv4(String host) {
        if (IpAddresses.looksLikeIpv4(host)) {
            return IpAddresses.ipv4(host).isPresent();
        }
        // A fully qualified name may end with the root's dot.
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()
                    || label.length() > 63
                    || label.startsWith("-")
                    || label.endsWith("-")
                    || !label.chars().allMatch(HostPort::isLabelChar)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLabelChar(int c) {
        // '_' is not valid in DNS host names, but internal service names use it and resolvers accept it.
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** The port, or -1 when the text is not a decimal number 0-65535. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : -1;
    }

    /** An unresolved socket address; resolution happens when connecting or binding. */
    public InetSocketAddress toSocketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * True for {@code localhost} and for IP literals in 127.0.0.0/8 or ::1. A host name that merely
     * starts with {@code 127.} is not loopback: it may resolve anywhere.
     */
    public boolean isLoopback() {
        if (host.equalsIgnoreCase("localhost") || host.equalsIgnoreCase("localhost.")) {
            return true;
        }
        Optional<InetAddress> literal = IpAddresses.looksLikeIpv4(host)
                ? IpAddresses.ipv4(host)
                : host.indexOf(':') >= 0 ? IpAddresses.ipv6(host) : Optional.empty();
        return literal.map(InetAddress::isLoopbackAddress).orElse(false);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
