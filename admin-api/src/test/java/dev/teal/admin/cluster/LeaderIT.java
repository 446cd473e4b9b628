package dev.teal.admin.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.TealCluster;
import dev.teal.admin.testing.TealUnderTest;
import dev.teal.proxy.Split;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The leader election of real teal nodes on a real three-server ensemble: one leader that every
 * instance names, changes sent to any instance carried out by it, and a new leader when it goes.
 */
class LeaderIT {
    /** The nodes' ZooKeeper session time-out in {@link TealCluster}. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger ROOTS = new AtomicInteger();
    private static TestingCluster zookeeper;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEnsemble() throws Exception {
        zookeeper = new TestingCluster(3);
        zookeeper.start();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        zookeeper.close();
    }

    private TealCluster cluster(int nodes) {
        return TealCluster.start(
                dir, zookeeper.getConnectString(), "/teal/leader-" + ROOTS.incrementAndGet(), nodes, "");
    }

    @Test
    void oneLeaderThatEveryInstanceNamesCarriesOutTheChangesSentToAnyInstance() {
        try (TealCluster cluster = cluster(3)) {
            String leader = awaitOneLeader(cluster, List.of(1, 2, 3));
            int leading = number(leader);
            int following = leading % 3 + 1;

            HttpResponse<String> ramp = cluster.admin(following, "POST", "/ramp?green=25&wait=converged");

            assertThat(ramp.statusCode()).isEqualTo(200);
            assertThat(ramp.headers().firstValue("teal-leader")).contains(leader);
            JsonNode body = JSON.readTree(ramp.body());
            assertThat(body.path("applied").asBoolean()).isTrue();
            assertThat(body.path("converged").asBoolean()).isTrue();
            for (int i = 1; i <= 3; i++) {
                assertThat(cluster.node(i).proxy().traffic().split()).isEqualTo(new Split(25));
            }
            // On the leader itself the change is carried out there, not forwarded.
            HttpResponse<String> local = cluster.admin(leading, "POST", "/ramp?green=30");
            assertThat(local.statusCode()).isEqualTo(200);
            assertThat(local.headers().firstValue("teal-leader")).isEmpty();
            JsonNode status = JSON.readTree(
                            cluster.admin(following, "GET", "/status").body())
                    .path("cluster");
            assertThat(status.path("leading").asBoolean()).isFalse();
            assertThat(status.path("instances").get(leading - 1).path("leader").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void whenTheLeaderStopsAnotherLeadsAndTakesTheChanges() {
        try (TealCluster cluster = cluster(3)) {
            int first = number(awaitOneLeader(cluster, List.of(1, 2, 3)));
            List<Integer> rest = first == 1 ? List.of(2, 3) : first == 2 ? List.of(1, 3) : List.of(1, 2);

            cluster.stop(first);

            // A stopped leader leaves the election at once: the next one does not wait for its session.
            long start = System.nanoTime();
            String next = awaitOneLeader(cluster, rest);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(number(next)).isNotEqualTo(first);
            System.out.println("LeaderIT: new leader " + next + " named by both remaining instances " + millis
                    + " ms after the leader stopped");
            int follower = rest.get(0) == number(next) ? rest.get(1) : rest.get(0);
            assertThat(cluster.admin(follower, "POST", "/ramp?green=40&wait=converged")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(cluster.node(number(next)).proxy().traffic().split()).isEqualTo(new Split(40));

            // The old leader comes back as a follower: leadership does not move back by itself.
            cluster.restart(first);
            assertThat(awaitOneLeader(cluster, List.of(1, 2, 3))).isEqualTo(next);
        }
    }

    @Test
    void aLeaderKilledWithSigkillIsReplacedWithinTheSessionTimeOut() throws Exception {
        String root = "/teal/leader-" + ROOTS.incrementAndGet();
        try (TealUnderTest first = TealUnderTest.start(dir.resolve("1"), 1, clustered(root, 1), List.of())) {
            Poll.until(SESSION_TIMEOUT.plusSeconds(6), "instance 1 leads", () -> leading(first));
            try (TealUnderTest second = TealUnderTest.start(dir.resolve("2"), 1, clustered(root, 2), List.of())) {
                assertThat(second.admin("POST", "/ramp?green=10").statusCode()).isEqualTo(200);

                first.process().signal("KILL");
                long start = System.nanoTime();

                // Nothing told the ensemble: the election node goes when the dead leader's session times out.
                Poll.until(SESSION_TIMEOUT.plusSeconds(3), "instance 2 leads", () -> leading(second));
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.println("LeaderIT: instance 2 leads " + millis + " ms after the leader was killed"
                        + " (session time-out " + SESSION_TIMEOUT.toMillis() + " ms)");
                HttpResponse<String> ramp = second.admin("POST", "/ramp?green=20");
                assertThat(ramp.statusCode()).isEqualTo(200);
                assertThat(ramp.headers().firstValue("teal-leader")).isEmpty();
            }
        }
    }

    /** The cluster settings of a {@code teal run} child process, instance {@code teal-<n>}. */
    private static String clustered(String root, int n) {
        return """
                sessions.cookie.secrets = ["%s"]
                cluster {
                  store = zookeeper
                  instance-id = "teal-%d"
                  zookeeper { connect = "%s", root = "%s", session-timeout = %ds, connection-timeout = 3s }
                }
                """.formatted(TealCluster.SECRET, n, zookeeper.getConnectString(), root, SESSION_TIMEOUT.toSeconds());
    }

    private static boolean leading(TealUnderTest teal) {
        try {
            return JSON.readTree(teal.admin("GET", "/status").body())
                    .path("cluster")
                    .path("leading")
                    .asBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void oneZooKeeperServerOfThreeKilledKeepsTheLeader() throws Exception {
        try (TealCluster cluster = cluster(2)) {
            String leader = awaitOneLeader(cluster, List.of(1, 2));
            InstanceSpec victim = zookeeper.getInstances().iterator().next();
            zookeeper.killServer(victim);
            try {
                int follower = 3 - number(leader);
                assertThat(cluster.admin(follower, "POST", "/ramp?green=20&wait=converged")
                                .statusCode())
                        .isEqualTo(200);
                assertThat(awaitOneLeader(cluster, List.of(1, 2))).isEqualTo(leader);
            } finally {
                zookeeper.restartServer(victim);
            }
        }
    }

    /** Waits until every instance in {@code nodes} names the same leader, one of them, that knows it leads. */
    private static String awaitOneLeader(TealCluster cluster, List<Integer> nodes) {
        String[] agreed = new String[1];
        Poll.until(SESSION_TIMEOUT.plusSeconds(6), "one leader named by instances " + nodes, () -> {
            Set<String> named = new HashSet<>();
            for (int i : nodes) {
                named.add(status(cluster, i).path("leader").asString(""));
            }
            if (named.size() != 1 || named.contains("")) {
                return false;
            }
            agreed[0] = named.iterator().next();
            return nodes.contains(number(agreed[0])) && leading(cluster, number(agreed[0]));
        });
        return agreed[0];
    }

    private static boolean leading(TealCluster cluster, int node) {
        return status(cluster, node).path("leading").asBoolean();
    }

    private static JsonNode status(TealCluster cluster, int node) {
        return JSON.readTree(cluster.admin(node, "GET", "/status").body()).path("cluster");
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring("teal-".length()));
    }
}
