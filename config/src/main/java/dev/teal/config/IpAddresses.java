package dev.teal.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP address literals without ever asking DNS: whether a setting is valid must not depend on
 * the resolver of the machine that loads it.
 */
final class IpAddresses {
    private IpAddresses() {}

    /** True for text made of digits and dots only, which can only be meant as an IPv4 address. */
    static boolean looksLikeIpv4(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    /**
     * Parses a dotted quad strictly: four numbers 0-255 without leading zeros ({@code 010} would mean 8
     * to some parsers and 10 to others, so it is refused rather than guessed).
     */
    static Optional<InetAddress> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty()
                    || part.length() > 3
                    || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return literal(bytes);
    }

    /**
     * Parses an IPv6 literal without brackets, with an optional zone ({@code fe80::1%eth0}, ignored in
     * the result). An IPv4-mapped address comes back as an IPv4 address.
     */
    static Optional<InetAddress> ipv6(String text) {
        int percent = text.indexOf('%');
        String address = percent < 0 ? text : text.substring(0, percent);
        if (percent >= 0 && !isZone(text.substring(percent + 1))) {
            return Optional.empty();
        }
        // The character check keeps InetAddress on its literal path: given a bracketed text that starts
        // with a hex digit or a colon, it parses or fails, and never performs a lookup.
        if (address.indexOf(':') < 0
                || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName("[" + address + "]"));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isZone(String zone) {
        return !zone.isEmpty()
                && zone.chars()
                        .allMatch(c -> (c >= 'a' && c <= 'z')
                                || (c >= 'A' && c <= 'Z')
                                || (c >= '0' && c <= '9')
                                || c == '.'
                                || c == '-'
                                || c == '_');
    }

    private static Optional<InetAddress> literal(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }
}
