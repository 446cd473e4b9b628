package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import dev.teal.proxy.Split;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state in force, and the one way to change it: store first, then apply, so that what the
 * proxy does is never ahead of what a restart would restore. Changes are serialized; each names the
 * state it was computed from, so a change computed from a state that moved on meanwhile is refused
 * instead of overwriting it, here and (through the store's version) on every other instance.
 *
 * <p>With a shared store, the states other instances store arrive through {@link StateStore#follow}
 * and become current here too; {@link #onApplied} listeners see every state that becomes current.
 */
public final class LiveState {
    private static final Logger log = LoggerFactory.getLogger(LiveState.class);

    private final StateStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile StoredState current;

    /** Told of each state that becomes current; runs under the change lock, so it must be quick. */
    @FunctionalInterface
    public interface Listener {
        /** @param fromAnotherInstance whether another instance stored it (this one has not applied it yet) */
        void applied(StoredState state, boolean fromAnotherInstance);
    }

    private LiveState(StateStore store, StoredState current) {
        this.store = store;
        this.current = current;
    }

    /**
     * Reads the stored state back, or starts from {@code initialSplit} when nothing was stored yet (the
     * configured split is only the initial value of a new state directory). With the file store nothing
     * is written until the first change; a shared store gets the initial state at once, so that the
     * first instance of a cluster decides it for all (a later one reads it back).
     *
     * @throws CorruptStateException when the stored state cannot be read back
     */
    public static LiveState open(StateStore store, Split initialSplit, Clock clock) {
        requireNonNull(store, "store");
        requireNonNull(initialSplit, "initialSplit");
        requireNonNull(clock, "clock");
        Optional<StoredState> stored = store.read();
        StoredState current;
        if (stored.isPresent()) {
            current = stored.get();
        } else {
            DurableState initial = DurableState.initial(initialSplit, clock.instant());
            current = new StoredState(initial, StoredState.NONE);
            if (store.shared()) {
                try {
                    current = new StoredState(initial, store.replace(initial, StoredState.NONE));
                } catch (StateConflictException e) {
                    current = store.read()
                            .orElseThrow(() -> new CorruptStateException(
                                    store.describe() + ": created by another instance, then gone", e));
                }
            }
        }
        LiveState live = new LiveState(store, current);
        store.follow(live::stored);
        return live;
    }

    public DurableState current() {
        return current.state();
    }

    /** The current state's version in the store ({@link StoredState#NONE} before the first change). */
    public long version() {
        return current.version();
    }

    public String describeStore() {
        return store.describe();
    }

    public StateStore store() {
        return store;
    }

    /** Adds a listener for the states that become current from now on. */
    public void onApplied(Listener listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    /**
     * Refuses a change at once while the store is unreachable, before anything else (a gating phase)
     * is started for it.
     *
     * @throws StoreUnreachableException when the store cannot be reached
     */
    public void requireReachableStore() {
        StoreStatus status = store.status();
        if (!status.connected()) {
            throw new StoreUnreachableException(
                    store.describe(), status.lostSince().orElseThrow());
        }
    }

    /**
     * Replaces {@code expected} by {@code next}: stores {@code next}, makes it current, then runs {@code
     * apply} with it. Nothing is stored or applied when the state is no longer {@code expected}, here or
     * in the store (another instance changed it: then the store's state becomes current here). Once
     * stored, {@code next} is current even if {@code apply} throws: a restart would restore it anyway.
     *
     * @return false when the state moved on since {@code expected} was read (nothing was changed)
     * @throws StateWriteException when storing failed; nothing was applied and the state is unchanged
     * @throws StoreUnreachableException when a shared store cannot be reached; nothing was changed
     */
    public boolean change(DurableState expected, DurableState next, Consumer<DurableState> apply) {
        requireNonNull(expected, "expected");
        requireNonNull(next, "next");
        requireNonNull(apply, "apply");
        lock.lock();
        try {
            StoredState now = current;
            if (now.state() != expected) {
                return false;
            }
            StoredState after = now;
            if (!next.equals(expected)) {
                try {
                    after = new StoredState(next, store.replace(next, now.version()));
                } catch (StateConflictException e) {
                    log.info("State change refused, another instance changed the state first: {}", e.getMessage());
                    catchUp();
                    return false;
                }
            } else {
                after = new StoredState(next, now.version());
            }
            current = after;
            apply.accept(next);
            if (after.version() != now.version()) {
                tell(after, false);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A state another instance stored (the store's thread): current here too, unless this one is newer. */
    private void stored(StoredState state) {
        lock.lock();
        try {
            StoredState now = current;
            if (state.version() <= now.version()) {
                return;
            }
            current = state;
            tell(state, true);
        } finally {
            lock.unlock();
        }
    }

    /** After a conflict: the store's state becomes current now, not only when its notification arrives. */
    private void catchUp() {
        try {
            store.read().ifPresent(this::stored);
        } catch (RuntimeException e) {
            log.warn("Cannot read the state store after a conflict; its notification will follow: {}", e.toString());
        }
    }

    private void tell(StoredState state, boolean fromAnotherInstance) {
        for (Listener listener : listeners) {
            try {
                listener.applied(state, fromAnotherInstance);
            } catch (RuntimeException e) {
                log.warn("Applying state version {} failed", state.version(), e);
            }
        }
    }
}
