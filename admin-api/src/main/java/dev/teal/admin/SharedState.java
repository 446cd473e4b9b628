package dev.teal.admin;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.api.AdminServer;
import dev.teal.admin.cluster.ZooKeeperCluster;
import dev.teal.admin.cluster.ZooKeeperLeadership;
import dev.teal.admin.cluster.ZooKeeperMembers;
import dev.teal.admin.cluster.ZooKeeperStateStore;
import dev.teal.admin.state.FileStateStore;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.state.StateStore;
import dev.teal.admin.state.StoreStatus;
import dev.teal.config.ClusterSettings;
import dev.teal.config.TealSettings;
import dev.teal.proxy.Split;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The durable state of one instance and, in a cluster, what ties it to the others: the state
 * directory alone ({@code cluster.store = file}), or the ZooKeeper connection, the shared state node
 * and the list of instances. Opened before the data plane (which starts on the stored split), closed
 * after it.
 */
final class SharedState implements AutoCloseable {
    private final ClusterSettings settings;
    private final StateStore store;
    private final LiveState state;
    private final Optional<ZooKeeperCluster> cluster;
    private final Optional<ZooKeeperMembers> members;
    private final Optional<ZooKeeperLeadership> leadership;

    private SharedState(
            ClusterSettings settings,
            StateStore store,
            LiveState state,
            Optional<ZooKeeperCluster> cluster,
            Optional<ZooKeeperMembers> members,
            Optional<ZooKeeperLeadership> leadership) {
        this.settings = settings;
        this.store = store;
        this.state = state;
        this.cluster = cluster;
        this.members = members;
        this.leadership = leadership;
    }

    /**
     * @throws dev.teal.admin.state.CorruptStateException when the stored state cannot be read back
     * @throws IllegalStateException when the ensemble cannot be reached
     */
    static SharedState open(TealSettings settings, MeterRegistry meters, Clock clock) {
        requireNonNull(settings, "settings");
        ClusterSettings c = settings.cluster();
        Split initial = new Split(settings.initialGreenPercent());
        SharedState shared;
        if (!c.shared()) {
            StateStore store = FileStateStore.open(settings.stateDir(), clock);
            shared = new SharedState(
                    c,
                    store,
                    LiveState.open(store, initial, clock),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty());
        } else {
            ZooKeeperCluster cluster = ZooKeeperCluster.connect(c.zookeeper().orElseThrow(), clock);
            ZooKeeperStateStore store = new ZooKeeperStateStore(cluster, clock);
            ZooKeeperMembers members = null;
            try {
                LiveState state = LiveState.open(store, initial, clock);
                members = ZooKeeperMembers.watch(cluster, c.instanceId().orElseThrow(), clock);
                ZooKeeperMembers joined = members;
                state.onApplied((applied, fromAnotherInstance) -> joined.applied(applied.version()));
                ZooKeeperLeadership leadership = ZooKeeperLeadership.of(cluster, members);
                shared = new SharedState(
                        c, store, state, Optional.of(cluster), Optional.of(members), Optional.of(leadership));
            } catch (RuntimeException e) {
                if (members != null) {
                    members.close();
                }
                store.close();
                cluster.close();
                throw e;
            }
        }
        Gauge.builder(
                        "teal.state.store.connected",
                        shared,
                        s -> s.store.status().connected() ? 1 : 0)
                .description("Whether the state store can be reached (1) or not (0); while not, changes answer 503")
                .register(meters);
        return shared;
    }

    LiveState state() {
        return state;
    }

    /** Gives the admin server the cluster view and, with {@code on-store-loss = fence}, the readiness rule. */
    void configure(AdminServer.Builder builder) {
        members.ifPresent(builder::cluster);
        leadership.ifPresent(l -> builder.leadership(l, settings.instanceId().orElseThrow()));
        if (settings.onStoreLoss() == ClusterSettings.OnStoreLoss.FENCE) {
            builder.readiness(() -> {
                StoreStatus status = store.status();
                return status.connected()
                        ? List.of()
                        : List.of("the state store " + store.describe() + " is unreachable since "
                                + status.lostSince().orElseThrow() + " (cluster.on-store-loss = fence)");
            });
        }
    }

    /** Adds this instance to the cluster's list, once its admin API answers, then to the leader election. */
    void join(URI admin) {
        members.ifPresent(m -> m.join(admin, state.version()));
        leadership.ifPresent(ZooKeeperLeadership::join);
    }

    @Override
    public void close() {
        // The election first: another instance leads at once instead of after the session time-out.
        leadership.ifPresent(ZooKeeperLeadership::close);
        members.ifPresent(ZooKeeperMembers::close);
        store.close();
        cluster.ifPresent(ZooKeeperCluster::close);
    }
}
