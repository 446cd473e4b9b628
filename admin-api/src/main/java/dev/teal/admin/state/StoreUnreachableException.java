package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The shared store cannot be reached, so nothing can be changed: the data plane keeps routing on the
 * last state it applied, and the admin API answers 503.
 */
public final class StoreUnreachableException extends RuntimeException {
    private final Instant since;

    public StoreUnreachableException(String store, Instant since) {
        super("the state store " + requireNonNull(store, "store") + " is unreachable since "
                + requireNonNull(since, "since")
                + "; nothing was changed, routing goes on with the last split applied");
        this.since = since;
    }

    /** When the connection was lost. */
    public Instant since() {
        return since;
    }
}
