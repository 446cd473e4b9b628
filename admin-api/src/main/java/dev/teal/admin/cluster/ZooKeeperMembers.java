package dev.teal.admin.cluster;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The live instances, one ephemeral node each under {@code <root>/instances}: its admin API and the
 * state version it applied. The node goes with the instance's ZooKeeper session, so an instance that
 * died leaves the list once the session timed out; Curator's {@link PersistentNode} puts it back after
 * a session expiry. Every instance watches the list (a {@link CuratorCache}), so reading it never waits
 * for the ensemble.
 */
public final class ZooKeeperMembers implements ClusterView, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperMembers.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final ZooKeeperCluster cluster;
    private final String id;
    private final Clock clock;
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final CuratorCache cache;
    private final Object changed = new Object();
    private PersistentNode node;
    private URI admin;
    private Instant joinedAt;
    private long appliedVersion = -1;

    private ZooKeeperMembers(ZooKeeperCluster cluster, String id, Clock clock) {
        this.cluster = cluster;
        this.id = id;
        this.clock = clock;
        this.cache = CuratorCache.build(cluster.client(), ZooKeeperCluster.INSTANCES);
    }

    /** Starts watching the instances; this one joins with {@link #join}. */
    public static ZooKeeperMembers watch(ZooKeeperCluster cluster, String id, Clock clock) {
        requireNonNull(cluster, "cluster");
        requireNonNull(id, "id");
        requireNonNull(clock, "clock");
        ZooKeeperMembers members = new ZooKeeperMembers(cluster, id, clock);
        members.cache.listenable().addListener((type, before, after) -> {
            synchronized (members.changed) {
                members.changed.notifyAll();
            }
        });
        members.cache.start();
        return members;
    }

    /**
     * Adds this instance to the list, with the state version it applied.
     *
     * @throws IllegalStateException when a live instance already has this id
     */
    public synchronized void join(URI admin, long appliedVersion) {
        requireNonNull(admin, "admin");
        String path = path();
        try {
            Stat existing = cluster.client().checkExists().forPath(path);
            long session = cluster.client().getZookeeperClient().getZooKeeper().getSessionId();
            if (existing != null && existing.getEphemeralOwner() != session) {
                throw new IllegalStateException("cluster.instance-id: '" + id + "' is in use by a live instance ("
                        + describe(cache.get(path).orElse(null))
                        + ") (expected: a name unique among the instances)");
            }
            cluster.client().createContainers(ZooKeeperCluster.INSTANCES);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot join " + cluster.describe() + " (" + e + ")", e);
        }
        this.admin = admin;
        this.joinedAt = clock.instant();
        this.appliedVersion = appliedVersion;
        node = new PersistentNode(cluster.client(), CreateMode.EPHEMERAL, false, path, bytes());
        node.start();
        try {
            if (!node.waitForInitialCreate(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("cannot join " + cluster.describe() + " within " + JOIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining " + cluster.describe(), e);
        }
        log.info("Joined {} as instance {} (state version {})", cluster.describe(), id, appliedVersion);
    }

    /** Publishes the state version this instance now routes on; never blocks on the ensemble. */
    public synchronized void applied(long version) {
        if (version <= appliedVersion) {
            return;
        }
        appliedVersion = version;
        if (node != null) {
            try {
                node.setData(bytes());
            } catch (Exception e) {
                log.warn("Cannot publish applied state version {}: {}", version, e.toString());
            }
        }
    }

    public String id() {
        return id;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public List<InstanceView> instances() {
        List<InstanceView> instances = new ArrayList<>();
        cache.stream()
                .filter(data -> ZKPaths.getPathAndNode(data.getPath()).getPath().equals(ZooKeeperCluster.INSTANCES))
                .forEach(data -> {
                    InstanceView view = parse(data);
                    if (view != null) {
                        instances.add(view);
                    }
                });
        instances.sort(Comparator.comparing(InstanceView::id));
        return instances;
    }

    @Override
    public boolean awaitConverged(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                List<InstanceView> now = instances();
                if (!now.isEmpty() && now.stream().allMatch(i -> i.appliedVersion() >= version)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(changed, left);
            }
        }
    }

    private InstanceView parse(ChildData data) {
        String name = ZKPaths.getNodeFromPath(data.getPath());
        try {
            JsonNode json = mapper.readTree(data.getData() == null ? new byte[0] : data.getData());
            return new InstanceView(
                    name,
                    json.path("admin").asString(""),
                    json.path("appliedVersion").asLong(-1),
                    Instant.parse(json.path("joinedAt").asString("1970-01-01T00:00:00Z")),
                    name.equals(id));
        } catch (RuntimeException e) { // JacksonException, a bad instant: a node teal did not write
            log.debug("Ignoring instance node {}: {}", data.getPath(), e.toString());
            return null;
        }
    }

    private String describe(ChildData data) {
        if (data == null) {
            return "no data";
        }
        return new String(data.getData(), StandardCharsets.UTF_8);
    }

    private byte[] bytes() {
        ObjectNode json = mapper.createObjectNode();
        json.put("instance", id);
        json.put("admin", admin.toString());
        json.put("appliedVersion", appliedVersion);
        json.put("joinedAt", joinedAt.toString());
        return mapper.writeValueAsBytes(json);
    }

    private String path() {
        return ZKPaths.makePath(ZooKeeperCluster.INSTANCES, id);
    }

    @Override
    public synchronized void close() {
        if (node != null) {
            try {
                node.close();
            } catch (Exception e) {
                log.debug("Leaving {}: {}", cluster.describe(), e.toString());
            }
        }
        cache.close();
    }
}
