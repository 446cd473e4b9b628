package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServedHostsTest {
    private static final ServedHosts SERVED =
            new ServedHosts(List.of("Shop.Example", "*.shop.example", "api.example:8443", "[::1]", "10.0.0.1:80"));

    @ParameterizedTest(name = "{0} served: {1}")
    @CsvSource({
        "shop.example, true",
        "SHOP.EXAMPLE:8080, true",
        "shop.example., true",
        "www.shop.example, true",
        "a.b.shop.example:1, true",
        "api.example:8443, true",
        "[::1]:9000, true",
        "[::1], true",
        "10.0.0.1:80, true",
        "xshop.example, false",
        "shop.example.evil, false",
        ".shop.example, false",
        "api.example, false",
        "api.example:8444, false",
        "api.example:84430, false",
        "10.0.0.1, false",
        "[::2], false",
        "[::1, false",
        "evil.example, false",
        "'', false"
    })
    void matchesNamesWildcardsAndPorts(String authority, boolean served) {
        assertThat(SERVED.serves(authority)).isEqualTo(served);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "*", "*.", "a b", "shop.example:", "shop.example:0", "shop.example:65536", "[zz]", "a/b"})
    void refusesMalformedPatterns(String pattern) {
        assertThatThrownBy(() -> new ServedHosts(List.of(pattern)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hosts: '" + pattern + "'");
    }

    @org.junit.jupiter.api.Test
    void servesEverythingWhenEmpty() {
        assertThat(ServedHosts.any().restricted()).isFalse();
        assertThat(ServedHosts.any().serves("anything.example")).isTrue();
    }
}
