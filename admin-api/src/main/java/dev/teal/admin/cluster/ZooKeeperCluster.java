package dev.teal.admin.cluster;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.StoreStatus;
import dev.teal.config.ClusterSettings.ZooKeeperSettings;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the ensemble, under this teal system's root: one Curator client per instance,
 * and whether it can reach the ensemble now.
 *
 * <p>Layout under the root: {@code /state} (the split and the rollout; its version is the
 * compare-and-set token), {@code /instances/<id>} (ephemeral: who is there and which state version
 * each applied).
 *
 * <p>A suspended connection counts as lost at once (Curator's standard error policy, TN14): from that
 * moment no change is accepted, whatever the ensemble later decides about the session.
 */
public final class ZooKeeperCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperCluster.class);

    static final String STATE = "/state";
    static final String INSTANCES = "/instances";

    private final CuratorFramework client;
    private final ZooKeeperSettings settings;
    private final Clock clock;
    private volatile StoreStatus status;

    private ZooKeeperCluster(CuratorFramework client, ZooKeeperSettings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.status = StoreStatus.lost(clock.instant());
    }

    /**
     * Connects to the ensemble, waiting at most the connection time-out.
     *
     * @throws IllegalStateException when the ensemble cannot be reached in time: an instance that never
     *     read the shared state does not know which split to route on, so it does not start
     */
    public static ZooKeeperCluster connect(ZooKeeperSettings settings, Clock clock) {
        requireNonNull(settings, "settings");
        requireNonNull(clock, "clock");
        int connectionMillis = (int) settings.connectionTimeout().toMillis();
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(settings.connect())
                .namespace(settings.root().substring(1))
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs(connectionMillis)
                // Curator retries each operation within this bound; past it the caller is told (a 503).
                .retryPolicy(new ExponentialBackoffRetry(100, 3, 1000))
                .build();
        ZooKeeperCluster cluster = new ZooKeeperCluster(client, settings, clock);
        client.getConnectionStateListenable().addListener((c, state) -> cluster.changed(state));
        client.start();
        try {
            if (!client.blockUntilConnected(connectionMillis, TimeUnit.MILLISECONDS)) {
                client.close();
                throw new IllegalStateException("cluster.zookeeper.connect: " + settings.connect()
                        + " not reachable within " + settings.connectionTimeout()
                        + " (expected: a running ZooKeeper ensemble; teal does not start without the shared state)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException("interrupted while connecting to " + settings.connect(), e);
        }
        cluster.status = StoreStatus.ALWAYS;
        return cluster;
    }

    private void changed(ConnectionState state) {
        if (state.isConnected()) {
            if (!status.connected()) {
                log.info("State store {} reachable again ({}): catching up on the current state", describe(), state);
            }
            status = StoreStatus.ALWAYS;
        } else if (status.connected()) {
            status = StoreStatus.lost(clock.instant());
            log.warn(
                    "State store {} unreachable ({}): routing goes on with the last split applied; changes are"
                            + " refused until it is back",
                    describe(),
                    state);
        }
    }

    CuratorFramework client() {
        return client;
    }

    public StoreStatus status() {
        return status;
    }

    public String describe() {
        return "zookeeper://" + settings.connect() + settings.root();
    }

    @Override
    public void close() {
        client.close();
    }
}
