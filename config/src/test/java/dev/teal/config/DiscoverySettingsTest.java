package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code dns://} and {@code dns+srv://} backends and {@code teal.discovery.dns}, through the loader. */
class DiscoverySettingsTest {
    private static final String GREEN = "teal.colors.green.backends = [\"10.0.1.11:8080\"]\n";

    @Test
    void defaultsAreTheSystemResolverWithAFloorAndACeiling() throws Exception {
        TealSettings settings = SettingsLoader.parse(TestSettings.MINIMAL, Map.of());

        assertThat(settings.discovery())
                .isEqualTo(new DiscoverySettings(
                        Duration.ofSeconds(1), Duration.ofMinutes(5), List.of(), Duration.ofSeconds(5)));
        assertThat(settings.color(Color.BLUE).discovery()).isEmpty();
    }

    @Test
    void readsNamesBesideListedBackendsAndTheResolverSettings() throws Exception {
        TealSettings settings = SettingsLoader.parse(GREEN + """
                        teal.colors.blue.backends = ["dns://app.internal:8080", "10.0.0.11:8080",
                            "DNS+SRV://_http._tcp.app.internal.", "dns://App.Other:80/"]
                        teal.discovery.dns { min-ttl = 2s, max-ttl = 1m, timeout = 700ms,
                            servers = ["10.0.0.2", "10.0.0.3:5353", "[fd00::2]:53", "fd00::3"] }
                        """, Map.of());

        ColorSettings blue = settings.color(Color.BLUE);
        assertThat(blue.backends()).containsExactly(Backend.parse("10.0.0.11:8080"));
        assertThat(blue.discovery())
                .containsExactly(
                        new DnsSource(DnsSource.Kind.ADDRESS, "app.internal", 8080),
                        new DnsSource(DnsSource.Kind.SERVICE, "_http._tcp.app.internal.", 0),
                        new DnsSource(DnsSource.Kind.ADDRESS, "App.Other", 80));
        assertThat(blue.discovery().get(1)).hasToString("dns+srv://_http._tcp.app.internal.");
        assertThat(blue.discovery().get(0)).hasToString("dns://app.internal:8080");
        assertThat(settings.discovery())
                .isEqualTo(new DiscoverySettings(
                        Duration.ofSeconds(2),
                        Duration.ofMinutes(1),
                        List.of(
                                new HostPort("10.0.0.2", 53),
                                new HostPort("10.0.0.3", 5353),
                                new HostPort("fd00::2", 53),
                                new HostPort("fd00::3", 53)),
                        Duration.ofMillis(700)));
    }

    @Test
    void aColorMayHaveOnlyNames() throws Exception {
        TealSettings settings =
                SettingsLoader.parse(GREEN + "teal.colors.blue.backends = [\"dns+srv://_web._tcp.shop\"]", Map.of());

        assertThat(settings.color(Color.BLUE).backends()).isEmpty();
        assertThat(settings.color(Color.BLUE).discovery()).hasSize(1);
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                row(
                        "teal.colors.blue.backends = [\"dns://app.internal\"]",
                        "teal.colors.blue.backends[0]: \"dns://app.internal\" (expected: dns://name:port, such as"
                                + " dns://app.internal:8080 (a port is required: A and AAAA records carry none))"),
                row(
                        "teal.colors.blue.backends = [\"dns://app.internal:0\"]",
                        "teal.colors.blue.backends[0]: \"dns://app.internal:0\" (expected: dns://name:port, such as"
                                + " dns://app.internal:8080, with a port 1-65535)"),
                row(
                        "teal.colors.blue.backends = [\"dns://app.internal:http\"]",
                        "teal.colors.blue.backends[0]: \"dns://app.internal:http\" (expected: dns://name:port, such as"
                                + " dns://app.internal:8080 (host:port with a numeric port 0-65535, such as"
                                + " 0.0.0.0:8080))"),
                row(
                        "teal.colors.blue.backends = [\"dns://10.0.0.11:8080\"]",
                        "teal.colors.blue.backends[0]: \"dns://10.0.0.11:8080\" (expected: a DNS name after dns://"
                                + " (an IP address needs no DNS: list it as host:port))"),
                row(
                        "teal.colors.blue.backends = [\"dns://[::1]:8080\"]",
                        "teal.colors.blue.backends[0]: \"dns://[::1]:8080\" (expected: a DNS name after dns:// (an IP"
                                + " address needs no DNS: list it as host:port))"),
                row(
                        "teal.colors.blue.backends = [\"dns://app.internal:8080/api\"]",
                        "teal.colors.blue.backends[0]: \"dns://app.internal:8080/api\" (expected: dns://name:port,"
                                + " such as dns://app.internal:8080, without a path)"),
                row(
                        "teal.colors.blue.backends = [\"dns://bad name:8080\"]",
                        "teal.colors.blue.backends[0]: \"dns://bad name:8080\" (expected: dns://name:port, such as"
                                + " dns://app.internal:8080 (host:port with a host name or an IPv4 address as host,"
                                + " such as app.internal:8080))"),
                row(
                        "teal.colors.blue.backends = [\"dns+srv://app.internal\"]",
                        "teal.colors.blue.backends[0]: \"dns+srv://app.internal\" (expected:"
                                + " dns+srv://_service._tcp.name, such as dns+srv://_http._tcp.app.internal (the name"
                                + " starts with _service._tcp., as SRV names do; teal speaks HTTP over TCP))"),
                row(
                        "teal.colors.blue.backends = [\"dns+srv://_http._udp.app.internal\"]",
                        "teal.colors.blue.backends[0]: \"dns+srv://_http._udp.app.internal\" (expected:"
                                + " dns+srv://_service._tcp.name, such as dns+srv://_http._tcp.app.internal (the name"
                                + " starts with _service._tcp., as SRV names do; teal speaks HTTP over TCP))"),
                row(
                        "teal.colors.blue.backends = [\"dns+srv://_http._tcp\"]",
                        "teal.colors.blue.backends[0]: \"dns+srv://_http._tcp\" (expected:"
                                + " dns+srv://_service._tcp.name, such as dns+srv://_http._tcp.app.internal (the name"
                                + " starts with _service._tcp., as SRV names do; teal speaks HTTP over TCP))"),
                row(
                        "teal.colors.blue.backends = [\"dns+srv://_http._tcp.app.internal:8080\"]",
                        "teal.colors.blue.backends[0]: \"dns+srv://_http._tcp.app.internal:8080\" (expected:"
                                + " dns+srv://_service._tcp.name, such as dns+srv://_http._tcp.app.internal, without a"
                                + " port (the SRV records carry the ports))"),
                row(
                        "teal.colors.blue.backends = [\"dns+srv://_http._tcp.bad..name\"]",
                        "teal.colors.blue.backends[0]: \"dns+srv://_http._tcp.bad..name\" (expected:"
                                + " dns+srv://_service._tcp.name, such as dns+srv://_http._tcp.app.internal (a valid"
                                + " DNS name))"),
                row(
                        "teal.colors.blue.backends = [\"srv://_http._tcp.app\"]",
                        "teal.colors.blue.backends[0]: \"srv://_http._tcp.app\" (expected: host:port, http://host:port,"
                                + " dns://name:port or dns+srv://_service._tcp.name (other schemes, https:// included,"
                                + " are not supported yet))"),
                row(
                        "teal.colors.blue.backends = [\"dns://app:80\", \"DNS://app:80\"]",
                        "teal.colors.blue.backends[1]: \"DNS://app:80\" (expected: each name once; dns://app:80 is"
                                + " already listed)"),
                row(
                        "teal.discovery.dns.min-ttl = 0s",
                        "teal.discovery.dns.min-ttl: 0s (expected: a positive duration such as 3s)"),
                row(
                        "teal.discovery.dns { min-ttl = 10m, max-ttl = 1m }",
                        "teal.discovery.dns.max-ttl: 1m (expected: a duration >= min-ttl (10m))"),
                row(
                        "teal.discovery.dns.timeout = 5",
                        "teal.discovery.dns.timeout: 5 (expected: a positive duration such as 3s)"),
                row(
                        "teal.discovery.dns.servers = [\"dns.internal:53\"]",
                        "teal.discovery.dns.servers[0]: \"dns.internal:53\" (expected: an IP address with an optional"
                                + " port, such as 10.0.0.2 or 10.0.0.2:5353 or [fd00::2]:53 (not a host name: resolving"
                                + " the resolver needs one))"),
                row(
                        "teal.discovery.dns.servers = [\"10.0.0.2:0\"]",
                        "teal.discovery.dns.servers[0]: \"10.0.0.2:0\" (expected: an IP address with an optional port,"
                                + " such as 10.0.0.2 or 10.0.0.2:5353 or [fd00::2]:53, with a port 1-65535)"),
                row(
                        "teal.discovery.dns.servers = [\"10.0.0.2\", \"10.0.0.2:53\"]",
                        "teal.discovery.dns.servers[1]: \"10.0.0.2:53\" (expected: each server once; 10.0.0.2:53 is"
                                + " already listed)"),
                row(
                        "teal.discovery.dns.servers = \"10.0.0.2\"",
                        "teal.discovery.dns.servers: \"10.0.0.2\" (expected: a list of DNS servers, IP addresses with"
                                + " optional ports, such as [\"10.0.0.2\", \"10.0.0.3:5353\"], or [] for the system's)"),
                row(
                        "teal.discovery.dns.resolver = \"x\"",
                        "teal.discovery.dns.resolver: unknown setting (expected one of: min-ttl, max-ttl, servers, timeout)"));
    }

    private static Arguments row(String hocon, String problem) {
        return Arguments.of(hocon, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void reportsTheProblemWithPathValueAndExpectation(String hocon, String problem) {
        String text =
                GREEN + (hocon.startsWith("teal.colors.blue") ? "" : "teal.colors.blue.backends = [\"a:1\"]\n") + hocon;
        assertThat(TestSettings.invalid(text, Map.of()).problems()).contains(problem);
    }
}
