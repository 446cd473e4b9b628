package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the client's address: the peer, or, when the peer is a trusted proxy, the rightmost address of
 * {@code X-Forwarded-For} that is not itself a trusted proxy (each trusted hop appends the address it saw, so
 * everything left of the first untrusted one could have been written by the client). If every hop is
 * trusted, the leftmost. Addresses are compared as bytes (IPv4-mapped IPv6 as IPv4), parsed without DNS.
 */
final class ClientAddresses {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

    private final List<Block> trusted;

    /**
     * @param trustedProxies addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code fd00::/8})
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    ClientAddresses(List<String> trustedProxies) {
        requireNonNull(trustedProxies, "trustedProxies");
        List<Block> blocks = new ArrayList<>(trustedProxies.size());
        for (int i = 0; i < trustedProxies.size(); i++) {
            blocks.add(Block.parse(trustedProxies.get(i), "sessions.trusted-proxies[" + i + "]"));
        }
        this.trusted = List.copyOf(blocks);
    }

    /** The client's address as 4 or 16 bytes; null when the peer is not an IP socket (e.g. in-VM channels). */
    byte[] resolve(HttpHeaders headers, SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress)) {
            return null;
        }
        InetAddress address = ((InetSocketAddress) peer).getAddress();
        if (address == null) {
            return null;
        }
        byte[] client = normalize(address.getAddress());
        if (trusted.isEmpty() || !isTrusted(client)) {
            return client;
        }
        List<String> values = headers.getAll(X_FORWARDED_FOR);
        for (int v = values.size() - 1; v >= 0; v--) {
            String header = values.get(v);
            int end = header.length();
            while (end >= 0) {
                int comma = header.lastIndexOf(',', end - 1);
                byte[] hop = parseHop(
                        header.substring(comma + 1, Math.max(comma + 1, end)).trim());
                if (hop == null) {
                    // A hop we cannot read ends the walk: trusting anything left of it would be a guess.
                    return client;
                }
                client = hop;
                if (!isTrusted(hop)) {
                    return hop;
                }
                end = comma;
            }
        }
        return client;
    }

    boolean isTrusted(byte[] address) {
        for (Block block : trusted) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** One {@code X-Forwarded-For} element: an address, optionally with a port ({@code 1.2.3.4:80}, {@code [::1]:80}). */
    static byte[] parseHop(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            if (close < 0) {
                return null;
            }
            hop = hop.substring(1, close);
        } else if (hop.indexOf(':') >= 0 && hop.indexOf(':') == hop.lastIndexOf(':') && hop.indexOf('.') >= 0) {
            hop = hop.substring(0, hop.indexOf(':'));
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(hop);
        return bytes == null ? null : normalize(bytes);
    }

    /** IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) becomes the 4-byte IPv4 address. */
    static byte[] normalize(byte[] address) {
        if (address.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (address[i] != 0) {
                    return address;
                }
            }
            if (address[10] == (byte) 0xff && address[11] == (byte) 0xff) {
                return new byte[] {address[12], address[13], address[14], address[15]};
            }
        }
        return address;
    }

    /** An address block: network bytes and prefix length. */
    private static final class Block {
        final byte[] network;
        final int prefix;

        Block(byte[] network, int prefix) {
            this.network = network;
            this.prefix = prefix;
        }

        static Block parse(String entry, String name) {
            String expected = " (expected: an IP address or a CIDR block, e.g. 10.0.0.0/8 or fd00::/8)";
            if (entry == null) {
                throw new IllegalArgumentException(name + ": null" + expected);
            }
            String text = entry.trim();
            int slash = text.indexOf('/');
            byte[] address = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException(name + ": '" + entry + "'" + expected);
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String p = text.substring(slash + 1);
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new IllegalArgumentException(name + ": '" + entry + "': bad prefix length" + expected);
                }
                prefix = Integer.parseInt(p);
                if (prefix > bits) {
                    throw new IllegalArgumentException(
                            name + ": '" + entry + "': prefix " + prefix + " (expected: 0-" + bits + ")");
                }
            }
            byte[] normalized = normalize(address);
            if (normalized.length != address.length) {
                prefix = Math.max(0, prefix - 96);
            }
            return new Block(normalized, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
