package dev.teal.admin.state;

import java.util.Optional;

/**
 * Where the durable state lives. {@link FileStateStore} is the embedded default; a store on a
 * distributed engine replaces it when several instances run.
 */
public interface StateStore {
    /**
     * The stored state; empty when nothing was stored yet (a new state directory).
     *
     * @throws CorruptStateException when something is stored but cannot be read back
     */
    Optional<DurableState> load();

    /**
     * Stores {@code state} durably: when this returns, a crash of the process or the machine keeps it.
     *
     * @throws StateWriteException when it could not be stored; the previously stored state is intact
     */
    void save(DurableState state);

    /** Where the state is kept, for messages. */
    String describe();
}
