package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

/**
 * The durable state as a store holds it, with its version: the compare-and-set token a change names
 * so that it never overwrites a state it did not see (a ZooKeeper node's version; for the file store,
 * the count of saves since it was opened).
 *
 * @param state the state
 * @param version its version in the store; {@link #NONE} when it was never stored
 */
public record StoredState(DurableState state, long version) {
    /** The version of a state that is not in the store yet. */
    public static final long NONE = -1;

    public StoredState {
        requireNonNull(state, "state");
        if (version < NONE) {
            throw new IllegalArgumentException("version: " + version + " (expected: >= -1)");
        }
    }
}
