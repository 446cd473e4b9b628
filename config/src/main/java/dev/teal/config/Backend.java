package dev.teal.config;

import static java.util.Objects.requireNonNull;

/**
 * One backend instance of a color: {@code host:port}, or {@code http://host:port}.
 *
 * @param address where the instance listens
 */
public record Backend(HostPort address) {
    public Backend {
        requireNonNull(address, "address");
        if (address.port() == 0) {
            throw new IllegalArgumentException("backend port: 0 (expected: 1-65535)");
        }
    }

    /** Parses {@code host:port} or {@code http://host:port}; {@code https://} is not supported yet. */
    public static Backend parse(String value) {
        requireNonNull(value, "value");
        String rest = value;
        if (rest.startsWith("http://")) {
            rest = rest.substring("http://".length());
        } else if (rest.contains("://")) {
            throw new IllegalArgumentException(
                    "'" + value + "': unsupported scheme (expected: host:port or http://host:port)");
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return new Backend(HostPort.parse(rest));
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
