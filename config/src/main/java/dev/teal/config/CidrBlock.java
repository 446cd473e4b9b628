package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a
 * block of one ({@code /32} or {@code /128}). {@code teal.sessions.trusted-proxies} is a list of these.
 *
 * @param network the first address of the block (host bits are cleared)
 * @param prefixLength the number of leading bits that every address of the block shares
 */
public record CidrBlock(InetAddress network, int prefixLength) {
    private static final String EXPECTED = "an IP address or a CIDR block, such as 10.0.0.0/8 or fd00::/8";

    public CidrBlock {
        requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefixLength: " + prefixLength + " (expected: 0-" + bits + ")");
        }
        network = masked(network, prefixLength);
    }

    /**
     * Parses {@code address/prefix} or a bare address; host names are refused (nothing is resolved).
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static CidrBlock parse(String value) {
        requireNonNull(value, "value");
        int slash = value.indexOf('/');
        String addressText = slash < 0 ? value : value.substring(0, slash);
        Optional<InetAddress> address = addressText.indexOf(':') >= 0
                ? IpAddresses.ipv6(addressText).filter(a -> addressText.indexOf('%') < 0)
                : IpAddresses.ipv4(addressText);
        if (address.isEmpty()) {
            throw new UnexpectedValueException(value, EXPECTED);
        }
        int bits = address.get().getAddress().length * 8;
        if (slash < 0) {
            return new CidrBlock(address.get(), bits);
        }
        String prefixText = value.substring(slash + 1);
        if (prefixText.isEmpty()
                || prefixText.length() > 3
                || !prefixText.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(prefixText) > bits) {
            throw new UnexpectedValueException(
                    value, "a prefix length 0-" + bits + " after the slash, such as 10.0.0.0/8");
        }
        return new CidrBlock(address.get(), Integer.parseInt(prefixText));
    }

    /** True when the address lies in this block; an address of the other IP version never does. */
    public boolean contains(InetAddress address) {
        requireNonNull(address, "address");
        byte[] candidate = address.getAddress();
        return candidate.length == network.getAddress().length
                && masked(address, prefixLength).equals(network);
    }

    private static InetAddress masked(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("an address of 4 or 16 bytes is always valid", e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
