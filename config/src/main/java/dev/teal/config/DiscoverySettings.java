package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How {@code dns://} and {@code dns+srv://} backends are resolved ({@code teal.discovery.dns}).
 *
 * @param minTtl the shortest time between two resolutions of one name, whatever its records' TTL says
 *     (default 1s; a TTL of 0 would otherwise ask the server in a loop)
 * @param maxTtl the longest time between two resolutions of one name, however long its TTL (default 5m)
 * @param servers the DNS servers asked, in order (default empty: the system's, from /etc/resolv.conf)
 * @param timeout how long one query waits for an answer before it counts as failed (default 5s)
 */
public record DiscoverySettings(Duration minTtl, Duration maxTtl, List<HostPort> servers, Duration timeout) {
    public DiscoverySettings {
        Checks.positive(minTtl, "discovery.dns.min-ttl");
        Checks.positive(maxTtl, "discovery.dns.max-ttl");
        if (maxTtl.compareTo(minTtl) < 0) {
            throw new IllegalArgumentException(
                    "discovery.dns.max-ttl: " + maxTtl + " (expected: at least min-ttl, " + minTtl + ")");
        }
        servers = List.copyOf(requireNonNull(servers, "servers"));
        Checks.positive(timeout, "discovery.dns.timeout");
    }

    /**
     * Parses a DNS server: an IP address with an optional port ({@code 10.0.0.2}, {@code 10.0.0.2:5353},
     * {@code [fd00::2]:53}); 53 without one. A host name is refused: resolving the resolver would need a
     * resolver.
     */
    public static HostPort server(String value) {
        requireNonNull(value, "value");
        String form = "an IP address with an optional port, such as 10.0.0.2 or 10.0.0.2:5353 or [fd00::2]:53";
        String text = value;
        if (IpAddresses.looksLikeIpv4(text) || (!text.startsWith("[") && text.indexOf(':') != text.lastIndexOf(':'))) {
            // A bare IPv4 address, or a bare IPv6 address (two colons or more, no brackets).
            text = text.indexOf(':') >= 0 ? "[" + text + "]:53" : text + ":53";
        }
        HostPort server;
        try {
            server = HostPort.parse(text);
        } catch (UnexpectedValueException e) {
            throw new UnexpectedValueException(value, form);
        }
        boolean literal = server.host().indexOf(':') >= 0
                ? IpAddresses.ipv6(server.host()).isPresent()
                : IpAddresses.looksLikeIpv4(server.host())
                        && IpAddresses.ipv4(server.host()).isPresent();
        if (!literal) {
            throw new UnexpectedValueException(value, form + " (not a host name: resolving the resolver needs one)");
        }
        if (server.port() == 0) {
            throw new UnexpectedValueException(value, form + ", with a port 1-65535");
        }
        return server;
    }
}
