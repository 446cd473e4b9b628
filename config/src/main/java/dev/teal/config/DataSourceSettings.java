package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The JDBC data source that sql phases migrate ({@code teal.rollout.datasource}).
 *
 * @param url the JDBC URL, such as {@code jdbc:postgresql://db.internal/shop}; a driver for it is on the
 *     class path (checked at load)
 * @param user the user name; empty when the URL carries it or none is needed
 * @param password the password (default: the environment variable DB_PASSWORD); never printed
 */
public record DataSourceSettings(String url, Optional<String> user, Optional<String> password) {
    public DataSourceSettings {
        requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("datasource.url: '" + url + "' (expected: a JDBC URL, jdbc:...)");
        }
        requireNonNull(user, "user");
        requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        // Never print the password.
        return "DataSourceSettings[url=" + url + ", user=" + user.orElse("(none)") + ", password="
                + (password.isPresent() ? "(set)" : "(none)") + "]";
    }
}
