package dev.teal.admin.cluster;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which instance carries out the state changes and starts the phases. Alone (the file store) this
 * instance always is; in a cluster one instance at a time is, by ZooKeeper leader election.
 */
public interface Leadership {
    /** Whether this instance is the leader now; cheap, never blocks on the store. */
    boolean isLeader();

    /** The leader as the instance list shows it (its id and admin API); empty while there is none. */
    Optional<InstanceView> leader();

    /**
     * The fencing token of this instance's leadership: the creation id (zxid) of its election node, which
     * grows with every new leader; empty when not the leader, or alone (nothing to fence against).
     */
    OptionalLong fencingToken();

    /** Tells {@code listener} each time this instance becomes the leader ({@code true}) or stops ({@code false}). */
    void onChange(Listener listener);

    @FunctionalInterface
    interface Listener {
        /** Runs on the election's own thread; may block on the store briefly. */
        void changed(boolean leader);
    }

    /** This instance alone: the leader from start to end, no token. */
    static Leadership alone() {
        return new Leadership() {
            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public Optional<InstanceView> leader() {
                return Optional.empty();
            }

            @Override
            public OptionalLong fencingToken() {
                return OptionalLong.empty();
            }

            @Override
            public void onChange(Listener listener) {}
        };
    }
}
