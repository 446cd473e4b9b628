package dev.teal.proxy.discovery;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Backend;
import dev.teal.config.Color;
import dev.teal.config.DnsSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One DNS name of a color as {@code /status} shows it.
 *
 * @param color the color whose backends it gives
 * @param source the name as configured
 * @param backends the instances it gave at its last good resolution (kept while it fails)
 * @param refreshed when it last resolved (empty: never yet)
 * @param nextRefresh when it is asked again
 * @param failure why its last resolution found nothing, with the reason label first (empty: it succeeded)
 */
public record DiscoveredName(
        Color color,
        DnsSource source,
        List<Backend> backends,
        Optional<Instant> refreshed,
        Optional<Instant> nextRefresh,
        Optional<String> failure) {
    public DiscoveredName {
        requireNonNull(color, "color");
        requireNonNull(source, "source");
        backends = List.copyOf(backends);
        requireNonNull(refreshed, "refreshed");
        requireNonNull(nextRefresh, "nextRefresh");
        requireNonNull(failure, "failure");
    }
}
