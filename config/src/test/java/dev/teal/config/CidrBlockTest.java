package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrBlockTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "10.1.2.3/8, 10.0.0.0/8",
        "192.168.1.10, 192.168.1.10/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "fd00::/8, fd00:0:0:0:0:0:0:0/8",
        "::1, 0:0:0:0:0:0:0:1/128",
        "2001:db8::1/48, 2001:db8:0:0:0:0:0:0/48",
    })
    void parsesAddressesAndBlocks(String text, String normalised) {
        assertThat(CidrBlock.parse(text)).hasToString(normalised);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "",
                "proxy.internal",
                "localhost",
                "10.0.0",
                "10.0.0.256",
                "10.0.0.0/",
                "10.0.0.0/33",
                "10.0.0.0/-1",
                "10.0.0.0/8/8",
                "10.0.0.0/x",
                "fd00::/129",
                "fe80::1%eth0",
                "[::1]",
                "::zz",
            })
    void refusesWhatIsNotAnAddressOrBlock(String text) {
        assertThatThrownBy(() -> CidrBlock.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' (expected: ");
    }

    @Test
    void containsTheAddressesOfTheBlockOnly() throws UnknownHostException {
        CidrBlock block = CidrBlock.parse("10.1.0.0/16");

        assertThat(block.contains(InetAddress.getByName("10.1.0.0"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("10.1.255.255"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("10.2.0.0"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void aBareAddressContainsItselfOnly() throws UnknownHostException {
        CidrBlock block = CidrBlock.parse("fd00::1");

        assertThat(block.contains(InetAddress.getByName("fd00::1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("fd00::2"))).isFalse();
    }

    @Test
    void theWholeSpaceContainsEveryAddressOfItsVersion() throws UnknownHostException {
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")))
                .isTrue();
        assertThat(CidrBlock.parse("::/0").contains(InetAddress.getByName("2001:db8::1")))
                .isTrue();
    }
}
