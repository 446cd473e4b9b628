package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import dev.teal.proxy.Split;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The durable state in force, and the one way to change it: store first, then apply, so that what the
 * proxy does is never ahead of what a restart would restore. Changes are serialized; each names the
 * state it was computed from, so a change computed from a state that moved on meanwhile is refused
 * instead of overwriting it.
 */
public final class LiveState {
    private final StateStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile DurableState current;

    private LiveState(StateStore store, DurableState current) {
        this.store = store;
        this.current = current;
    }

    /**
     * Reads the stored state back, or starts from {@code initialSplit} when nothing was stored yet (the
     * configured split is only the initial value of a new state directory). Nothing is written until the
     * first change.
     *
     * @throws CorruptStateException when the stored state cannot be read back
     */
    public static LiveState open(StateStore store, Split initialSplit, Clock clock) {
        requireNonNull(store, "store");
        requireNonNull(initialSplit, "initialSplit");
        requireNonNull(clock, "clock");
        Optional<DurableState> stored = store.load();
        return new LiveState(store, stored.orElseGet(() -> DurableState.initial(initialSplit, clock.instant())));
    }

    public DurableState current() {
        return current;
    }

    public String describeStore() {
        return store.describe();
    }

    /**
     * Replaces {@code expected} by {@code next}: stores {@code next}, makes it current, then runs {@code
     * apply} with it. Nothing is stored or applied when the state is no longer {@code expected}. Once
     * stored, {@code next} is current even if {@code apply} throws: a restart would restore it anyway.
     *
     * @return false when the state moved on since {@code expected} was read (nothing was changed)
     * @throws StateWriteException when storing failed; nothing was applied and the state is unchanged
     */
    public boolean change(DurableState expected, DurableState next, Consumer<DurableState> apply) {
        requireNonNull(expected, "expected");
        requireNonNull(next, "next");
        requireNonNull(apply, "apply");
        lock.lock();
        try {
            if (current != expected) {
                return false;
            }
            if (!next.equals(expected)) {
                store.save(next);
            }
            current = next;
            apply.accept(next);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
