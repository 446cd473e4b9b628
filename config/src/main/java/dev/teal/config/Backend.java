package dev.teal.config;

import static java.util.Objects.requireNonNull;

/**
 * One backend instance of a color: {@code host:port}, or {@code http://host:port}.
 *
 * @param address where the instance listens (port 1-65535)
 */
public record Backend(HostPort address) {
    private static final String HTTP = "http://";

    public Backend {
        requireNonNull(address, "address");
        if (address.port() == 0) {
            throw new IllegalArgumentException("backend port: 0 (expected: 1-65535)");
        }
    }

    /**
     * Parses {@code host:port} or {@code http://host:port} (scheme in any case, one trailing slash
     * allowed); {@code https://} is not supported yet, and a path is refused rather than ignored.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static Backend parse(String value) {
        requireNonNull(value, "value");
        String rest = value;
        if (value.regionMatches(true, 0, HTTP, 0, HTTP.length())) {
            rest = value.substring(HTTP.length());
        } else if (value.contains("://")) {
            throw new UnexpectedValueException(
                    value,
                    "host:port, http://host:port, dns://name:port or dns+srv://_service._tcp.name (other"
                            + " schemes, https:// included, are not supported yet)");
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.indexOf('/') >= 0) {
            throw new UnexpectedValueException(value, "host:port or http://host:port, without a path");
        }
        HostPort address;
        try {
            address = HostPort.parse(rest);
        } catch (UnexpectedValueException e) {
            throw new UnexpectedValueException(value, e.expected());
        }
        if (address.port() == 0) {
            throw new UnexpectedValueException(
                    value, "host:port with a port 1-65535 (0 is for listeners only), such as 10.0.0.11:8080");
        }
        return new Backend(address);
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
