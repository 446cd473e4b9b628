package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How this instance shares its state with the others ({@code teal.cluster}).
 *
 * @param store where the split, the rollout and the phase journal live: {@code file} (default, one
 *     instance, the state directory) or {@code zookeeper} (several instances, one shared state)
 * @param instanceId this instance's name among the others, unique in the cluster (default
 *     {@code $HOSTNAME}); empty with the file store, required with ZooKeeper
 * @param zookeeper the ensemble and the root of this teal system in it; present with ZooKeeper only
 * @param onStoreLoss what {@code /readyz} says while the store is unreachable: {@code serve} (default,
 *     stays ready: the data plane routes on the last split it applied) or {@code fence} (not ready)
 */
public record ClusterSettings(
        Store store, Optional<String> instanceId, Optional<ZooKeeperSettings> zookeeper, OnStoreLoss onStoreLoss) {
    /** Letters, digits, dot, dash and underscore: the id is a ZooKeeper node name, a metric tag and a log word. */
    static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public enum Store {
        FILE,
        ZOOKEEPER
    }

    public enum OnStoreLoss {
        SERVE,
        FENCE
    }

    public ClusterSettings {
        requireNonNull(store, "store");
        requireNonNull(instanceId, "instanceId");
        requireNonNull(zookeeper, "zookeeper");
        requireNonNull(onStoreLoss, "onStoreLoss");
        instanceId.ifPresent(id -> {
            if (!INSTANCE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("instance-id: '" + id
                        + "' (expected: 1-63 letters, digits, '.', '-' or '_', starting with a letter or digit)");
            }
        });
        if (store == Store.ZOOKEEPER && (instanceId.isEmpty() || zookeeper.isEmpty())) {
            throw new IllegalArgumentException(
                    "store: zookeeper needs instance-id and zookeeper.connect (expected: both set)");
        }
    }

    /** One instance, state in the state directory: what teal does without a {@code teal.cluster} section. */
    public static ClusterSettings single() {
        return new ClusterSettings(Store.FILE, Optional.empty(), Optional.empty(), OnStoreLoss.SERVE);
    }

    /** Whether several instances share one state (any store but the file). */
    public boolean shared() {
        return store != Store.FILE;
    }

    /**
     * The ZooKeeper ensemble ({@code teal.cluster.zookeeper}).
     *
     * @param connect the ensemble, {@code host:port,host:port,...}
     * @param root the node under which this teal system keeps everything; one teal system per root
     * @param sessionTimeout how long the ensemble waits for a silent instance before it drops its
     *     ephemeral nodes (its membership, its leadership); default 15s
     * @param connectionTimeout how long a connection attempt may take; default 5s
     */
    public record ZooKeeperSettings(String connect, String root, Duration sessionTimeout, Duration connectionTimeout) {
        public ZooKeeperSettings {
            requireNonNull(connect, "connect");
            requireNonNull(root, "root");
            if (connect.isBlank()) {
                throw new IllegalArgumentException("zookeeper.connect: \"\" (expected: host:port,host:port,...)");
            }
            Checks.positive(sessionTimeout, "zookeeper.session-timeout");
            Checks.positive(connectionTimeout, "zookeeper.connection-timeout");
        }
    }
}
