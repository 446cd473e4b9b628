package dev.teal.admin.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.state.CorruptStateException;
import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.state.StateConflictException;
import dev.teal.admin.state.StoredState;
import dev.teal.admin.testing.Poll;
import dev.teal.config.ClusterSettings.ZooKeeperSettings;
import dev.teal.proxy.Split;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared state node on one real ZooKeeper server: compare-and-set, following, the first instance's split. */
class ZooKeeperStateStoreIT {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final AtomicInteger ROOTS = new AtomicInteger();
    private static TestingServer server;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final String root = "/teal/store-" + ROOTS.incrementAndGet();

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private ZooKeeperStateStore store() {
        ZooKeeperCluster cluster = ZooKeeperCluster.connect(
                new ZooKeeperSettings(server.getConnectString(), root, Duration.ofSeconds(5), Duration.ofSeconds(5)),
                CLOCK);
        opened.add(cluster);
        ZooKeeperStateStore store = new ZooKeeperStateStore(cluster, CLOCK);
        opened.add(store);
        return store;
    }

    @Test
    void ofTwoChangesFromOneVersionExactlyOneIsStored() {
        ZooKeeperStateStore a = store();
        ZooKeeperStateStore b = store();
        long created = a.replace(DurableState.initial(new Split(0), T0), StoredState.NONE);

        long next = a.replace(DurableState.initial(new Split(100), T0), created);

        assertThat(next).isEqualTo(created + 1);
        assertThatThrownBy(() -> b.replace(DurableState.initial(new Split(0), T0), created))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("another instance changed it");
        assertThatThrownBy(() -> b.replace(DurableState.initial(new Split(0), T0), StoredState.NONE))
                .isInstanceOf(StateConflictException.class);
        assertThat(b.read().orElseThrow()).isEqualTo(new StoredState(DurableState.initial(new Split(100), T0), next));
    }

    @Test
    void theFirstInstanceDecidesTheInitialSplitForAll() {
        LiveState first = LiveState.open(store(), new Split(10), CLOCK);
        LiveState second = LiveState.open(store(), new Split(90), CLOCK);

        assertThat(second.current().split()).isEqualTo(new Split(10));
        assertThat(second.version()).isEqualTo(first.version()).isZero();
    }

    @Test
    void aChangeComputedFromAStateAnotherInstanceReplacedIsRefusedAndTheWinnerBecomesCurrent() {
        LiveState a = LiveState.open(store(), new Split(0), CLOCK);
        LiveState b = LiveState.open(store(), new Split(0), CLOCK);
        DurableState seenByB = b.current();
        List<DurableState> appliedByB = new CopyOnWriteArrayList<>();

        assertThat(a.change(a.current(), DurableState.initial(new Split(100), T0), s -> {}))
                .isTrue();
        boolean changed = b.change(seenByB, DurableState.initial(new Split(0), T0), appliedByB::add);

        assertThat(changed).isFalse();
        assertThat(appliedByB).isEmpty();
        Poll.until(
                Duration.ofSeconds(1), "b follows a", () -> b.current().split().equals(new Split(100)));
        assertThat(b.version()).isEqualTo(a.version());
    }

    @Test
    void everyInstanceIsToldOfTheOthersChangesInOrder() {
        LiveState a = LiveState.open(store(), new Split(0), CLOCK);
        LiveState b = LiveState.open(store(), new Split(0), CLOCK);
        List<Long> seen = new CopyOnWriteArrayList<>();
        b.onApplied((state, fromAnotherInstance) -> {
            if (fromAnotherInstance) {
                seen.add(state.version());
            }
        });

        for (int green : new int[] {10, 20, 30}) {
            assertThat(a.change(a.current(), DurableState.initial(new Split(green), T0), s -> {}))
                    .isTrue();
        }

        Poll.until(Duration.ofSeconds(1), "b sees version 3", () -> b.version() == 3);
        assertThat(seen).isSorted().endsWith(3L);
        assertThat(b.current().split()).isEqualTo(new Split(30));
    }

    @Test
    void anUnreadableNodeIsNeverReplacedByTheConfiguredSplit() throws Exception {
        ZooKeeperStateStore store = store();
        LiveState.open(store, new Split(0), CLOCK);
        try (var client = org.apache.curator.framework.CuratorFrameworkFactory.newClient(
                server.getConnectString(), new org.apache.curator.retry.RetryOneTime(100))) {
            client.start();
            client.setData().forPath(root + "/state", "{\"version\": 9}".getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> LiveState.open(store(), new Split(0), CLOCK))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("/state: version: 9 (expected: 1)")
                .hasMessageContaining("does not fall back to the configured split");
    }
}
