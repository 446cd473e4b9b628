package dev.teal.config;

import static java.util.Objects.requireNonNull;

/**
 * Backends of a color found in DNS rather than listed: {@code dns://name:port} (every A and AAAA record of
 * the name, each at that port) or {@code dns+srv://_service._tcp.name} (every SRV record's target and port).
 * The name is re-resolved as its records' TTLs say, within {@code teal.discovery.dns}'s floor and ceiling.
 *
 * @param kind which records are asked for
 * @param name the DNS name asked for, as written (a trailing dot kept)
 * @param port the port of every address ({@link Kind#ADDRESS}), or 0 ({@link Kind#SERVICE}: ports come from
 *     the SRV records)
 */
public record DnsSource(Kind kind, String name, int port) {
    private static final String DNS = "dns://";
    private static final String DNS_SRV = "dns+srv://";

    /** Which records a name is resolved to. */
    public enum Kind {
        /** A and AAAA records: one backend per address, at the configured port. */
        ADDRESS,
        /** SRV records: one backend per target address, at the record's port. */
        SERVICE
    }

    public DnsSource {
        requireNonNull(kind, "kind");
        requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("dns name: '' (expected: a DNS name)");
        }
        if (kind == Kind.ADDRESS ? port < 1 || port > 65535 : port != 0) {
            throw new IllegalArgumentException("dns port: " + port + " (expected: "
                    + (kind == Kind.ADDRESS ? "1-65535" : "0, SRV records carry the ports") + ")");
        }
    }

    /** Whether a backend entry names a DNS source (by its scheme) rather than one instance. */
    public static boolean isDiscovery(String value) {
        return startsWithIgnoringCase(value, DNS) || startsWithIgnoringCase(value, DNS_SRV);
    }

    /**
     * Parses {@code dns://name:port} or {@code dns+srv://_service._tcp.name} (schemes in any case).
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static DnsSource parse(String value) {
        requireNonNull(value, "value");
        if (startsWithIgnoringCase(value, DNS_SRV)) {
            return service(value, value.substring(DNS_SRV.length()));
        }
        if (startsWithIgnoringCase(value, DNS)) {
            return address(value, value.substring(DNS.length()));
        }
        throw new UnexpectedValueException(value, "dns://name:port or dns+srv://_service._tcp.name");
    }

    private static DnsSource address(String value, String rest) {
        String form = "dns://name:port, such as dns://app.internal:8080";
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.indexOf('/') >= 0) {
            throw new UnexpectedValueException(value, form + ", without a path");
        }
        if (rest.startsWith("[") || IpAddresses.looksLikeIpv4(hostPart(rest))) {
            throw new UnexpectedValueException(
                    value, "a DNS name after dns:// (an IP address needs no DNS: list it as host:port)");
        }
        if (rest.lastIndexOf(':') < 0) {
            throw new UnexpectedValueException(value, form + " (a port is required: A and AAAA records carry none)");
        }
        HostPort address;
        try {
            address = HostPort.parse(rest);
        } catch (UnexpectedValueException e) {
            throw new UnexpectedValueException(value, form + " (" + e.expected() + ")");
        }
        if (address.port() == 0) {
            throw new UnexpectedValueException(value, form + ", with a port 1-65535");
        }
        return new DnsSource(Kind.ADDRESS, address.host(), address.port());
    }

    private static DnsSource service(String value, String rest) {
        String form = "dns+srv://_service._tcp.name, such as dns+srv://_http._tcp.app.internal";
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.indexOf('/') >= 0) {
            throw new UnexpectedValueException(value, form + ", without a path");
        }
        if (rest.indexOf(':') >= 0) {
            throw new UnexpectedValueException(value, form + ", without a port (the SRV records carry the ports)");
        }
        String[] labels = rest.split("\\.", -1);
        if (labels.length < 3
                || labels[0].length() < 2
                || labels[0].charAt(0) != '_'
                || !labels[1].equalsIgnoreCase("_tcp")) {
            throw new UnexpectedValueException(
                    value, form + " (the name starts with _service._tcp., as SRV names do; teal speaks HTTP over TCP)");
        }
        try {
            // The same label rules as any host name: HostPort checks them.
            HostPort.parse(rest + ":1");
        } catch (UnexpectedValueException e) {
            throw new UnexpectedValueException(value, form + " (a valid DNS name)");
        }
        return new DnsSource(Kind.SERVICE, rest, 0);
    }

    private static String hostPart(String rest) {
        int colon = rest.lastIndexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    private static boolean startsWithIgnoringCase(String value, String prefix) {
        return value.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    @Override
    public String toString() {
        return kind == Kind.ADDRESS ? DNS + name + ":" + port : DNS_SRV + name;
    }
}
