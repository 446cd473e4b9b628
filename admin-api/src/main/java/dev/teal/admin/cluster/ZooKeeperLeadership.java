package dev.teal.admin.cluster;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among the instances of one root, with Curator's {@link LeaderLatch} under {@code
 * <root>/leader}: each instance has an ephemeral sequential node there, the lowest one leads. The
 * leader's node is its fence: every write only the leader may make (the phase journal, the release
 * plan) is a transaction that {@code check}s the node still exists, and the node's creation zxid is
 * the fencing token handed to the phases.
 *
 * <p>Who leads is read from a {@link CuratorCache} of the election's nodes (never a call to the
 * ensemble), and mapped to the instance's admin API through {@link ZooKeeperMembers}.
 *
 * <p>Known noise: when the ensemble is lost for longer than the session, Curator's LeaderLatch logs
 * {@code ERROR ... failed to find our node; resetting} once it reconnects and finds its old node gone.
 * It then joins the election again with a new node (a new token): nothing is wrong, and this class logs
 * a WARN saying what happened.
 */
public final class ZooKeeperLeadership implements Leadership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperLeadership.class);
    static final String LEADER = "/leader";
    /** Curator's LeaderLatch names its nodes {@code _c_<uuid>-latch-<sequence>}; the sequence orders them. */
    private static final String LATCH = "latch-";

    /** This instance's term as the leader: its election node and the token it gives. */
    private record Term(String path, long token) {}

    private final ZooKeeperCluster cluster;
    private final ZooKeeperMembers members;
    private final LeaderLatch latch;
    private final CuratorCache candidates;
    private final ExecutorService events;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Term term;

    private ZooKeeperLeadership(ZooKeeperCluster cluster, ZooKeeperMembers members) {
        this.cluster = cluster;
        this.members = members;
        this.latch = new LeaderLatch(cluster.client(), LEADER, members.id());
        this.candidates = CuratorCache.build(cluster.client(), LEADER);
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "teal-leadership");
            t.setDaemon(true);
            return t;
        });
    }

    /** The election of {@code cluster}'s root, not joined yet: see {@link #join}. */
    public static ZooKeeperLeadership of(ZooKeeperCluster cluster, ZooKeeperMembers members) {
        requireNonNull(cluster, "cluster");
        requireNonNull(members, "members");
        ZooKeeperLeadership leadership = new ZooKeeperLeadership(cluster, members);
        leadership.latch.addListener(
                new LeaderLatchListener() {
                    @Override
                    public void isLeader() {
                        leadership.elected();
                    }

                    @Override
                    public void notLeader() {
                        leadership.deposed();
                    }
                },
                leadership.events);
        leadership.candidates.start();
        return leadership;
    }

    /**
     * Joins the election; after {@link ZooKeeperMembers#join}, so that whoever leads has its admin API in
     * the instance list.
     */
    public void join() {
        try {
            cluster.client().createContainers(LEADER);
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot join the leader election in " + cluster.describe() + " (" + e + ")", e);
        }
    }

    private void elected() {
        String path = latch.getOurPath();
        long token;
        try {
            Stat stat = path == null ? null : cluster.client().checkExists().forPath(path);
            if (stat == null) {
                log.warn(
                        "Elected leader, but the election node {} is already gone; waiting for the next election",
                        path);
                return;
            }
            token = stat.getCzxid();
        } catch (Exception e) {
            log.warn(
                    "Elected leader, but the election node cannot be read ({}); waiting for the next election",
                    e.toString());
            return;
        }
        term = new Term(path, token);
        log.info("This instance ({}) is the leader of {} (fencing token {})", members.id(), cluster.describe(), token);
        tell(true);
    }

    private void deposed() {
        if (term == null) {
            return;
        }
        term = null;
        log.warn(
                "This instance ({}) is no longer the leader of {} (the store was lost or the session expired):"
                        + " it starts no phase and forwards changes to the next leader; Curator may log \"failed to"
                        + " find our node; resetting\" as it joins the election again",
                members.id(),
                cluster.describe());
        tell(false);
    }

    private void tell(boolean leader) {
        for (Listener listener : listeners) {
            try {
                listener.changed(leader);
            } catch (RuntimeException e) {
                log.warn("Leadership listener failed", e);
            }
        }
    }

    @Override
    public boolean isLeader() {
        return term != null && latch.hasLeadership() && cluster.status().connected();
    }

    /** The election node of this instance's term, for the {@code check} of a fenced write; empty when not leading. */
    Optional<String> electionNode() {
        Term now = term;
        return now != null && isLeader() ? Optional.of(now.path()) : Optional.empty();
    }

    @Override
    public OptionalLong fencingToken() {
        Term now = term;
        return now != null && isLeader() ? OptionalLong.of(now.token()) : OptionalLong.empty();
    }

    @Override
    public Optional<InstanceView> leader() {
        Optional<String> id = candidates.stream()
                .filter(d -> ZKPaths.getPathAndNode(d.getPath()).getPath().equals(LEADER))
                .filter(d -> d.getPath().contains(LATCH))
                .min(Comparator.comparing(ZooKeeperLeadership::sequence))
                .map(ChildData::getData)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        return id.flatMap(leader ->
                members.instances().stream().filter(i -> i.id().equals(leader)).findFirst());
    }

    private static String sequence(ChildData data) {
        String path = data.getPath();
        return path.substring(path.lastIndexOf(LATCH));
    }

    @Override
    public void onChange(Listener listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    /** Leaves the election at once, so that another instance leads without waiting for a session time-out. */
    @Override
    public void close() {
        term = null; // a shutdown, not a deposition: no listener is told, nothing is logged as lost
        try {
            latch.close();
        } catch (Exception e) {
            log.debug("Leaving the election: {}", e.toString());
        }
        candidates.close();
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
