package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.0.0.0:8080          | 0.0.0.0          | 8080",
                "127.0.0.1:0           | 127.0.0.1        | 0",
                "localhost:65535       | localhost        | 65535",
                "app.internal:8080     | app.internal     | 8080",
                "my_service.local:80   | my_service.local | 80",
                "example.com.:443      | example.com.     | 443",
                "10.0.0.11:08080       | 10.0.0.11        | 8080",
                "[::1]:9901            | ::1              | 9901",
                "[::]:80               | ::               | 80",
                "[fe80::1%eth0]:80     | fe80::1%eth0     | 80",
                "[::ffff:10.0.0.1]:80  | ::ffff:10.0.0.1  | 80",
            })
    void parsesHostAndPort(String text, String host, int port) {
        assertThat(HostPort.parse(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                   | host:port, such as 0.0.0.0:8080",
                "8080                 | host:port, such as 0.0.0.0:8080",
                "localhost            | host:port, such as 0.0.0.0:8080",
                ":8080                | with a host name or an IPv4 address as host",
                "localhost:           | with a numeric port 0-65535",
                "0.0.0.0:http         | with a numeric port 0-65535",
                "0.0.0.0:65536        | with a numeric port 0-65535",
                "0.0.0.0:123456       | with a numeric port 0-65535",
                "0.0.0.0:-1           | with a numeric port 0-65535",
                "0.0.0.0:+80          | with a numeric port 0-65535",
                "'0.0.0.0: 80'        | with a numeric port 0-65535",
                "::1:8080             | with brackets around an IPv6 host",
                "[::1]                | with an IPv6 host in brackets",
                "[::1]8080            | with an IPv6 host in brackets",
                "[::1:8080            | with an IPv6 host in brackets",
                "[]:8080              | with a valid IPv6 address in the brackets",
                "[localhost]:8080     | with a valid IPv6 address in the brackets",
                "[10.0.0.1]:8080      | with a valid IPv6 address in the brackets",
                "[::zz]:8080          | with a valid IPv6 address in the brackets",
                "[fe80::1%]:8080      | with a valid IPv6 address in the brackets",
                "999.0.0.1:80         | with a host name or an IPv4 address as host",
                "10.0.1:80            | with a host name or an IPv4 address as host",
                "010.0.0.1:80         | with a host name or an IPv4 address as host",
                "a..b:80              | with a host name or an IPv4 address as host",
                "-a.example:80        | with a host name or an IPv4 address as host",
                "a-.example:80        | with a host name or an IPv4 address as host",
                "'app internal:80'    | with a host name or an IPv4 address as host",
                "user@host:80         | with a host name or an IPv4 address as host",
                "host%eth0:80         | with a host name or an IPv4 address as host",
                "http://host:80       | with brackets around an IPv6 host",
            })
    void refusesWhatIsNotHostColonPort(String text, String expected) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' (expected: ")
                .hasMessageContaining(expected);
    }

    @Test
    void refusesAnOverlongHostName() {
        String label = "a".repeat(64);

        assertThatThrownBy(() -> HostPort.parse(label + ".example:80")).isInstanceOf(IllegalArgumentException.class);
        assertThat(HostPort.parse("a".repeat(63) + ".example:80").port()).isEqualTo(80);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
        "127.0.0.1, true",
        "127.1.2.3, true",
        "localhost, true",
        "LocalHost, true",
        "::1, true",
        "0:0:0:0:0:0:0:1, true",
        "::ffff:127.0.0.1, true",
        "0.0.0.0, false",
        "::, false",
        "10.0.0.1, false",
        // A name is not an address: this one can resolve anywhere.
        "127.evil.example, false",
        "localhost.evil.example, false",
    })
    void knowsLoopbackOnlyFromLiteralsAndLocalhost(String host, boolean loopback) {
        assertThat(new HostPort(host, 9901).isLoopback()).isEqualTo(loopback);
    }

    @Test
    void printsIpv6WithBrackets() {
        assertThat(HostPort.parse("[::1]:9901")).hasToString("[::1]:9901");
        assertThat(HostPort.parse("10.0.0.1:80")).hasToString("10.0.0.1:80");
    }

    @Test
    void roundTripsThroughToString() {
        for (String text : new String[] {"[fe80::1%eth0]:80", "app.internal:8080", "0.0.0.0:0"}) {
            assertThat(HostPort.parse(HostPort.parse(text).toString())).isEqualTo(HostPort.parse(text));
        }
    }

    @Test
    void constructorRefusesABlankHostAndAPortOutOfRange() {
        assertThatThrownBy(() -> new HostPort(" ", 80)).hasMessageContaining("expected: a host name");
        assertThatThrownBy(() -> new HostPort("a", 65536)).hasMessage("port: 65536 (expected: 0-65535)");
        assertThatThrownBy(() -> new HostPort("a", -1)).hasMessage("port: -1 (expected: 0-65535)");
    }

    @Test
    void leavesTheHostUnresolved() {
        assertThat(HostPort.parse("app.invalid:80").toSocketAddress().isUnresolved())
                .isTrue();
    }
}
