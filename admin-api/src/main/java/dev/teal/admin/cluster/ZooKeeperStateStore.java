package dev.teal.admin.cluster;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.CorruptStateException;
import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.StateConflictException;
import dev.teal.admin.state.StateFileFormat;
import dev.teal.admin.state.StateStore;
import dev.teal.admin.state.StateWriteException;
import dev.teal.admin.state.StoreStatus;
import dev.teal.admin.state.StoreUnreachableException;
import dev.teal.admin.state.StoredState;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The split and the rollout in one node, {@code <root>/state}, in the state file's JSON. Its ZooKeeper
 * version is the compare-and-set token: a change is a {@code setData} at the version it was computed
 * from, so of two instances changing the state at once exactly one wins and the other is told. Every
 * instance watches the node (a {@link CuratorCache}) and applies what another stored within tens of
 * milliseconds; after a lost connection the cache reads the node again, so a returning instance
 * catches up.
 */
public final class ZooKeeperStateStore implements StateStore {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperStateStore.class);

    private final ZooKeeperCluster cluster;
    private final Clock clock;
    private final StateFileFormat format = new StateFileFormat();
    private CuratorCache cache;

    public ZooKeeperStateStore(ZooKeeperCluster cluster, Clock clock) {
        this.cluster = requireNonNull(cluster, "cluster");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public Optional<StoredState> read() {
        requireConnected();
        Stat stat = new Stat();
        byte[] bytes;
        try {
            bytes = cluster.client().getData().storingStatIn(stat).forPath(ZooKeeperCluster.STATE);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw failed("read", e);
        }
        return Optional.of(new StoredState(parse(bytes), stat.getVersion()));
    }

    @Override
    public long replace(DurableState next, long expectedVersion) {
        requireNonNull(next, "next");
        requireConnected();
        byte[] bytes = format.write(next, clock.instant());
        try {
            if (expectedVersion == StoredState.NONE) {
                cluster.client().create().creatingParentContainersIfNeeded().forPath(ZooKeeperCluster.STATE, bytes);
                return 0;
            }
            Stat stat = cluster.client()
                    .setData()
                    .withVersion(Math.toIntExact(expectedVersion))
                    .forPath(ZooKeeperCluster.STATE, bytes);
            return stat.getVersion();
        } catch (KeeperException.NodeExistsException e) {
            throw new StateConflictException("another instance created " + describe() + " first");
        } catch (KeeperException.BadVersionException e) {
            throw new StateConflictException(
                    describe() + " is no longer at version " + expectedVersion + ": another instance changed it");
        } catch (KeeperException.NoNodeException e) {
            throw new StateConflictException(describe() + " was deleted since version " + expectedVersion);
        } catch (Exception e) {
            throw failed("write", e);
        }
    }

    @Override
    public synchronized void follow(Consumer<StoredState> listener) {
        requireNonNull(listener, "listener");
        if (cache != null) {
            throw new IllegalStateException("follow: already following " + describe());
        }
        cache = CuratorCache.build(cluster.client(), ZooKeeperCluster.STATE, CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable()
                .addListener(CuratorCacheListener.builder()
                        .forCreatesAndChanges((before, after) -> deliver(after, listener))
                        .forDeletes(gone -> log.warn(
                                "{} was deleted: instances keep the state they applied; the next change recreates"
                                        + " nothing, restore the node or restart every instance",
                                describe()))
                        .build());
        cache.start();
    }

    private void deliver(ChildData data, Consumer<StoredState> listener) {
        try {
            listener.accept(
                    new StoredState(parse(data.getData()), data.getStat().getVersion()));
        } catch (CorruptStateException e) {
            log.warn("Ignoring an unreadable state in {}; the state applied stays: {}", describe(), e.getMessage());
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public StoreStatus status() {
        return cluster.status();
    }

    @Override
    public String describe() {
        return cluster.describe() + ZooKeeperCluster.STATE;
    }

    @Override
    public synchronized void close() {
        if (cache != null) {
            cache.close();
        }
    }

    private DurableState parse(byte[] bytes) {
        try {
            return format.read(bytes == null ? new byte[0] : bytes);
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException(
                    describe() + ": " + e.getMessage()
                            + ". teal does not fall back to the configured split; repair the node, or delete it to"
                            + " start again from the configuration",
                    e);
        }
    }

    private void requireConnected() {
        StoreStatus status = cluster.status();
        if (!status.connected()) {
            throw new StoreUnreachableException(describe(), status.lostSince().orElseThrow());
        }
    }

    private RuntimeException failed(String what, Exception e) {
        if (e instanceof KeeperException.ConnectionLossException
                || e instanceof KeeperException.SessionExpiredException
                || e instanceof KeeperException.OperationTimeoutException) {
            StoreStatus status = cluster.status();
            return new StoreUnreachableException(describe(), status.lostSince().orElse(clock.instant()));
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new StateWriteException("cannot " + what + " " + describe() + " (" + e + ")", e);
    }
}
