package dev.teal.admin.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** Where the admin API is and how to authenticate: shared by every client command. */
public final class AdminOptions {
    @Option(
            names = "--admin",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:9901",
            description = "Admin API address (default: ${DEFAULT-VALUE}).")
    URI admin;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            defaultValue = "${env:TEAL_ADMIN_TOKEN}",
            showDefaultValue = Visibility.NEVER,
            description = "Bearer token of the admin API (default: $TEAL_ADMIN_TOKEN).")
    String token;

    AdminClient client() {
        return client(Duration.ofSeconds(10));
    }

    /** A client that waits up to {@code timeout} for each answer (a ramp runs its gating phases first). */
    AdminClient client(Duration timeout) {
        return new AdminClient(admin, Optional.ofNullable(token).filter(t -> !t.isBlank()), timeout);
    }
}
