package dev.teal.proxy.session;

import java.util.Locale;

/** Why a session ended; the {@code reason} label of {@code teal_sessions_ended_total}. */
public enum EndReason {
    /** Nothing for {@code idle-timeout}: forgotten. */
    IDLED,
    /** The application expired its session cookie (a logout). */
    CLOSED,
    /** Moved to the other color by {@code force} or {@code drain.max-wait}. */
    FORCED;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The metric label value. */
    public String id() {
        return id;
    }
}
