package dev.teal.admin.state;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the durable state lives. {@link FileStateStore} is the embedded default (one instance);
 * {@code ZooKeeperStateStore} shares one state among several instances. Kept narrow so that another
 * store can follow: read, compare-and-set, and (for a shared store) follow the others' changes.
 */
public interface StateStore extends AutoCloseable {
    /**
     * The stored state; empty when nothing was stored yet (a new state directory, a new cluster root).
     *
     * @throws CorruptStateException when something is stored but cannot be read back
     * @throws StoreUnreachableException when a shared store cannot be reached
     */
    Optional<StoredState> read();

    /**
     * Stores {@code next} durably in place of the state at {@code expectedVersion} ({@link
     * StoredState#NONE}: nothing stored yet): when this returns, a crash of the process or the machine
     * keeps it.
     *
     * @return the version of {@code next} in the store
     * @throws StateConflictException when the stored state is no longer at {@code expectedVersion}
     * @throws StoreUnreachableException when a shared store cannot be reached; nothing was stored
     * @throws StateWriteException when it could not be stored; the previously stored state is intact
     */
    long replace(DurableState next, long expectedVersion);

    /** Where the state is kept, for messages. */
    String describe();

    /** Whether other instances share this state (and may change it behind this one's back). */
    default boolean shared() {
        return false;
    }

    /**
     * Calls {@code listener} with every state another instance stores from now on (and the current one
     * again after a lost connection came back), in store order, on the store's own thread.
     */
    default void follow(Consumer<StoredState> listener) {}

    /** Whether the store can be reached now; cheap, never blocks. */
    default StoreStatus status() {
        return StoreStatus.ALWAYS;
    }

    @Override
    default void close() {}
}
