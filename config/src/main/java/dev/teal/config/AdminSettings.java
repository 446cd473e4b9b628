package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The admin API listener ({@code teal.admin}).
 *
 * @param listen where it listens (default 127.0.0.1:9901)
 * @param token bearer token; required when {@code listen} is not a loopback address
 */
public record AdminSettings(HostPort listen, Optional<String> token) {
    public AdminSettings {
        requireNonNull(listen, "listen");
        requireNonNull(token, "token");
        if (!listen.isLoopback() && token.isEmpty()) {
            throw new IllegalArgumentException("admin.token: (none) (expected: a token when admin.listen " + listen
                    + " is not a loopback address)");
        }
    }

    @Override
    public String toString() {
        // Never print the token.
        return "AdminSettings[listen=" + listen + ", token=" + (token.isPresent() ? "(set)" : "(none)") + "]";
    }
}
