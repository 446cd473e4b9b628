package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SocketAddressesTest {
    @Test
    void writesAnIpv4AddressAndPort() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080);

        assertThat(SocketAddresses.format(address)).isEqualTo("127.0.0.1:8080");
    }

    @Test
    void writesTheNumericAddressOfANamedHost() throws Exception {
        InetSocketAddress address =
                new InetSocketAddress(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}), 8080);

        assertThat(SocketAddresses.format(address)).isEqualTo("127.0.0.1:8080");
    }

    @Test
    void bracketsAnIpv6Address() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("::1"), 9901);

        assertThat(SocketAddresses.format(address)).isEqualTo("[0:0:0:0:0:0:0:1]:9901");
    }

    @Test
    void writesAnUnresolvedAddressAsGiven() {
        assertThat(SocketAddresses.format(InetSocketAddress.createUnresolved("app.internal", 8080)))
                .isEqualTo("app.internal:8080");
    }
}
