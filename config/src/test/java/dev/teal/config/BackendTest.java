package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.11:8080          | 10.0.0.11    | 8080",
                "http://10.0.0.11:8080   | 10.0.0.11    | 8080",
                "http://10.0.0.11:8080/  | 10.0.0.11    | 8080",
                "HTTP://app.internal:80  | app.internal | 80",
                "10.0.0.11:8080/         | 10.0.0.11    | 8080",
                "http://[::1]:8080       | ::1          | 8080",
            })
    void parsesHostPortWithOrWithoutHttp(String text, String host, int port) {
        assertThat(Backend.parse(text)).isEqualTo(new Backend(new HostPort(host, port)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://10.0.0.11:8443      | https:// included, are not supported yet",
                "ftp://10.0.0.11:21          | other schemes",
                "http://10.0.0.11:8080/app   | without a path",
                "10.0.0.11:8080//            | without a path",
                "http://                     | host:port, such as",
                "http://10.0.0.11            | host:port, such as",
                "10.0.0.11:0                 | with a port 1-65535 (0 is for listeners only)",
                "http://10.0.0.11:http       | with a numeric port 0-65535",
                "http://user@10.0.0.11:80    | with a host name or an IPv4 address",
            })
    void refusesWhatIsNotABackend(String text, String expected) {
        assertThatThrownBy(() -> Backend.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' (expected: ")
                .hasMessageContaining(expected);
    }

    @Test
    void isEqualWhateverTheSpelling() {
        assertThat(Backend.parse("http://10.0.0.11:8080/")).isEqualTo(Backend.parse("10.0.0.11:8080"));
    }

    @Test
    void printsAsHostPort() {
        assertThat(Backend.parse("http://[::1]:8080/")).hasToString("[::1]:8080");
    }

    @Test
    void constructorRefusesPortZero() {
        assertThatThrownBy(() -> new Backend(new HostPort("10.0.0.11", 0)))
                .hasMessage("backend port: 0 (expected: 1-65535)");
    }
}
