package dev.teal.proxy.discovery;

import static java.util.Objects.requireNonNull;

import dev.teal.config.HostPort;
import java.time.Duration;
import java.util.List;

/**
 * What one resolution of a name found.
 *
 * @param addresses the instances, IP literals with ports, sorted (servers rotate their answers: the order
 *     means nothing), at least one
 * @param ttl the shortest TTL among the records that gave them
 */
record Resolution(List<HostPort> addresses, Duration ttl) {
    Resolution {
        addresses = List.copyOf(requireNonNull(addresses, "addresses"));
        requireNonNull(ttl, "ttl");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a resolution finds at least one address");
        }
    }
}
