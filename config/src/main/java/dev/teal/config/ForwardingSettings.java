package dev.teal.config;

import static java.util.Objects.requireNonNull;

/**
 * Proxy headers added to requests ({@code teal.forwarding}).
 *
 * @param xForwarded append the peer to {@code X-Forwarded-For}, set {@code X-Forwarded-Proto} and
 *     {@code X-Forwarded-Host} (default true)
 * @param forwarded set an RFC 7239 {@code Forwarded} header (default false; a client's own is always
 *     removed)
 * @param via append {@code Via: 1.1 <via-name>} both ways (default true)
 * @param viaName the name in {@code Via} (default "teal")
 * @param dropUnderscoreHeaders drop request headers whose name has an underscore, as NGINX does, so
 *     {@code X_Forwarded_For} cannot pose as {@code X-Forwarded-For} behind a CGI-style backend
 *     (default true)
 */
public record ForwardingSettings(
        boolean xForwarded, boolean forwarded, boolean via, String viaName, boolean dropUnderscoreHeaders) {
    public ForwardingSettings {
        requireNonNull(viaName, "viaName");
        if (viaName.isEmpty() || !viaName.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',')) {
            throw new IllegalArgumentException(
                    "via-name: '" + viaName + "' (expected: a token of visible ASCII, no comma)");
        }
    }
}
