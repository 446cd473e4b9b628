package dev.teal.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.local.LocalAddress;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private final ClientAddresses addresses =
            new ClientAddresses(List.of("10.0.0.0/8", "192.0.2.7", "fd00::/8", "::ffff:198.51.100.0/120"));

    @Test
    void believesForwardedForOnlyFromTrustedProxies() throws Exception {
        record Row(String peer, List<String> xff, String expected) {}
        List<Row> rows = List.of(
                new Row("203.0.113.9", List.of(), "203.0.113.9"),
                new Row("203.0.113.9", List.of("1.2.3.4"), "203.0.113.9"),
                new Row("10.1.2.3", List.of(), "10.1.2.3"),
                new Row("10.1.2.3", List.of("1.2.3.4"), "1.2.3.4"),
                new Row("10.1.2.3", List.of("6.6.6.6, 1.2.3.4"), "1.2.3.4"),
                new Row("10.1.2.3", List.of("6.6.6.6, 1.2.3.4, 10.9.9.9, 192.0.2.7"), "1.2.3.4"),
                new Row("10.1.2.3", List.of("6.6.6.6", "1.2.3.4, 10.9.9.9"), "1.2.3.4"),
                new Row("10.1.2.3", List.of("10.3.3.3, 10.2.2.2"), "10.3.3.3"),
                new Row("10.1.2.3", List.of("1.2.3.4:5678"), "1.2.3.4"),
                new Row("10.1.2.3", List.of("[2001:db8::1]:443"), "2001:db8::1"),
                new Row("10.1.2.3", List.of("2001:db8::1"), "2001:db8::1"),
                new Row("10.1.2.3", List.of("6.6.6.6, unknown, 10.2.2.2"), "10.2.2.2"),
                new Row("10.1.2.3", List.of("1.2.3.4, "), "10.1.2.3"),
                new Row("10.1.2.3", List.of("not an address"), "10.1.2.3"),
                new Row("fd12::1", List.of("2001:db8::7"), "2001:db8::7"),
                new Row("::ffff:198.51.100.20", List.of("1.2.3.4"), "1.2.3.4"),
                new Row("198.51.100.20", List.of("1.2.3.4"), "1.2.3.4"),
                new Row("198.51.101.20", List.of("1.2.3.4"), "198.51.101.20"),
                new Row("192.0.2.8", List.of("1.2.3.4"), "192.0.2.8"));
        for (Row row : rows) {
            HttpHeaders headers = new DefaultHttpHeaders();
            row.xff().forEach(v -> headers.add("X-Forwarded-For", v));
            InetSocketAddress peer = new InetSocketAddress(
                    InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(row.peer())), 40000);

            assertThat(addresses.resolve(headers, peer))
                    .as(row.peer() + " " + row.xff())
                    .isEqualTo(ClientAddresses.normalize(NetUtil.createByteArrayFromIpAddressString(row.expected())));
        }
    }

    @Test
    void hasNoAddressForANonIpPeer() {
        assertThat(addresses.resolve(new DefaultHttpHeaders(), new LocalAddress("x")))
                .isNull();
        assertThat(addresses.resolve(new DefaultHttpHeaders(), InetSocketAddress.createUnresolved("host", 80)))
                .isNull();
    }

    @Test
    void refusesWhatIsNotAnAddressOrBlockNamingTheEntry() {
        record Row(String entry, String message) {}
        List<Row> rows = List.of(
                new Row("proxy.internal", "sessions.trusted-proxies[1]: 'proxy.internal' (expected: an IP address"),
                new Row("10.0.0.0/33", "sessions.trusted-proxies[1]: '10.0.0.0/33': prefix 33 (expected: 0-32)"),
                new Row("10.0.0.0/", "sessions.trusted-proxies[1]: '10.0.0.0/': bad prefix length"),
                new Row("10.0.0.0/x", "sessions.trusted-proxies[1]: '10.0.0.0/x': bad prefix length"),
                new Row("::/129", "sessions.trusted-proxies[1]: '::/129': prefix 129 (expected: 0-128)"));
        for (Row row : rows) {
            assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.1", row.entry())))
                    .as(row.entry())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(row.message());
        }
    }
}
