package dev.teal.admin.cluster;

import dev.teal.admin.state.LiveState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The instances that share the state, as the admin API shows them: who is there, which state version
 * each applied, and a way to wait until every one applied a version ({@code ramp ... wait=converged}).
 */
public interface ClusterView {
    /** Whether several instances share the state (false: this instance alone, the file store). */
    boolean shared();

    /** Every live instance, this one included, ordered by id. */
    List<InstanceView> instances();

    /**
     * Waits until every live instance applied {@code version} (or a later one), at most {@code timeout}.
     *
     * @return whether they all did in time
     */
    boolean awaitConverged(long version, Duration timeout) throws InterruptedException;

    /** This instance alone: it has applied whatever its state holds. */
    static ClusterView single(LiveState state, String admin, Instant started) {
        return new ClusterView() {
            @Override
            public boolean shared() {
                return false;
            }

            @Override
            public List<InstanceView> instances() {
                return List.of(new InstanceView("local", admin, state.version(), started, true));
            }

            @Override
            public boolean awaitConverged(long version, Duration timeout) {
                return state.version() >= version;
            }
        };
    }
}
