package dev.teal.admin.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.TealCluster;
import dev.teal.proxy.Split;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
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
 * Three real teal nodes on one real three-server ZooKeeper ensemble (started once for the class; each
 * test has its own root): one split for all, compare-and-set between instances, pinned sessions that
 * any instance routes, and what happens when part or all of the ensemble goes away.
 */
class ClusterIT {
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
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
        return TealCluster.start(dir, zookeeper.getConnectString(), "/teal/it-" + ROOTS.incrementAndGet(), nodes, "");
    }

    @Test
    void aRampOnOneInstanceIsAppliedByAllWithinASecond() {
        try (TealCluster cluster = cluster(3)) {
            List<Long> millis = new ArrayList<>();
            for (int step = 1; step <= 10; step++) {
                int green = step * 10;
                int on = 1 + step % 3;
                long start = System.nanoTime();
                assertThat(cluster.admin(on, "POST", "/ramp?green=" + green).statusCode())
                        .isEqualTo(200);
                for (int i = 1; i <= 3; i++) {
                    int node = i;
                    Poll.until(
                            WITHIN_A_SECOND,
                            "node " + node + " applies green " + green,
                            () -> cluster.node(node).proxy().traffic().split().equals(new Split(green)));
                }
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            Collections.sort(millis);
            // The figure the README quotes: from the ramp's answer to the last instance applying it.
            System.out.println("ClusterIT: ramp applied by all 3 instances, median " + millis.get(millis.size() / 2)
                    + " ms, max " + millis.get(millis.size() - 1) + " ms over " + millis.size() + " ramps");
        }
    }

    @Test
    void waitConvergedAnswersOnceEveryInstanceAppliedTheStepAndStatusShowsEach() throws Exception {
        try (TealCluster cluster = cluster(3)) {
            HttpResponse<String> ramp = cluster.admin(2, "POST", "/ramp?green=30&wait=converged");

            assertThat(ramp.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(ramp.body());
            assertThat(answer.path("converged").asBoolean()).isTrue();
            long version = answer.path("stateVersion").asLong();
            assertThat(answer.path("instances")).hasSize(3);
            answer.path("instances")
                    .forEach(i -> assertThat(i.path("appliedVersion").asLong()).isGreaterThanOrEqualTo(version));
            for (int i = 1; i <= 3; i++) {
                assertThat(cluster.node(i).proxy().traffic().split()).isEqualTo(new Split(30));
            }

            JsonNode status =
                    JSON.readTree(cluster.admin(3, "GET", "/status").body()).path("cluster");
            assertThat(status.path("store").asString()).isEqualTo("zookeeper");
            assertThat(status.path("connected").asBoolean()).isTrue();
            assertThat(status.path("stateVersion").asLong()).isEqualTo(version);
            assertThat(status.path("instances").findValuesAsString("id")).containsExactly("teal-1", "teal-2", "teal-3");
            assertThat(status.path("instances").get(2).path("self").asBoolean()).isTrue();
        }
    }

    @Test
    void badWaitParametersAreRefusedBeforeAnythingMoves() throws Exception {
        try (TealCluster cluster = cluster(2)) {
            for (String query : List.of("wait=forever", "wait=converged&wait-timeout=0", "wait-timeout=5")) {
                HttpResponse<String> ramp = cluster.admin(1, "POST", "/ramp?green=40&" + query);

                assertThat(ramp.statusCode()).as(query).isEqualTo(400);
                assertThat(JSON.readTree(ramp.body()).path("error").asString()).isNotEmpty();
            }
            assertThat(cluster.node(2).proxy().traffic().split()).isEqualTo(new Split(0));
        }
    }

    @Test
    void concurrentRampsOnTwoInstancesEndInOneOrderAndTheLoserSeesTheWinner() throws Exception {
        try (TealCluster cluster = cluster(2)) {
            int applied = 0;
            long before = JSON.readTree(cluster.admin(1, "GET", "/status").body())
                    .path("cluster")
                    .path("stateVersion")
                    .asLong();
            for (int round = 0; round < 8; round++) {
                int a = 10 + round * 10;
                int b = 15 + round * 10;
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<HttpResponse<String>> onOne =
                        CompletableFuture.supplyAsync(() -> rampAfter(start, cluster, 1, a));
                CompletableFuture<HttpResponse<String>> onTwo =
                        CompletableFuture.supplyAsync(() -> rampAfter(start, cluster, 2, b));
                for (HttpResponse<String> answer : List.of(onOne.get(), onTwo.get())) {
                    JsonNode body = JSON.readTree(answer.body());
                    assertThat(answer.statusCode()).isIn(200, 409);
                    if (answer.statusCode() == 200) {
                        applied++;
                    } else {
                        // Both went to the leader, which takes one step at a time: the loser is told what
                        // won, either as the state it stored or as the step it is applying, with the state then.
                        int current =
                                body.path("current").path("split").path("green").asInt();
                        String detail = body.path("detail").asString();
                        assertThat(body.path("current").path("version").asLong())
                                .isGreaterThanOrEqualTo(before);
                        assertThat(current == a
                                        || current == b
                                        || detail.contains("a ramp to green " + a + " % is being applied")
                                        || detail.contains("a ramp to green " + b + " % is being applied"))
                                .as("the loser's answer names the winner: %s", answer.body())
                                .isTrue();
                    }
                }
                // One order: both instances end on the same state.
                Poll.until(WITHIN_A_SECOND, "both instances on one split", () -> cluster.node(1)
                        .proxy()
                        .traffic()
                        .split()
                        .equals(cluster.node(2).proxy().traffic().split()));
            }
            long after = JSON.readTree(cluster.admin(2, "GET", "/status").body())
                    .path("cluster")
                    .path("stateVersion")
                    .asLong();
            // Every 200 is one version, never two ramps written over each other.
            assertThat(after - before).isEqualTo(applied);
        }
    }

    private static HttpResponse<String> rampAfter(CyclicBarrier start, TealCluster cluster, int node, int green) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return cluster.admin(node, "POST", "/ramp?green=" + green);
    }

    @Test
    void sessionsPinnedThroughOneInstanceRouteTheSameThroughAnother() {
        try (TealCluster cluster = cluster(2)) {
            HttpResponse<String> first = cluster.get(1, "/cart", Optional.empty());
            assertThat(first.body()).startsWith("blue-1");
            String cookie =
                    first.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
            assertThat(cluster.admin(1, "POST", "/ramp?green=100&wait=converged")
                            .statusCode())
                    .isEqualTo(200);

            assertThat(cluster.get(2, "/cart", Optional.of(cookie)).body()).startsWith("blue-1");
            assertThat(cluster.get(2, "/cart", Optional.empty()).body()).startsWith("green-1");
        }
    }

    @Test
    void oneZooKeeperServerOfThreeKilledChangesNothing() throws Exception {
        try (TealCluster cluster = cluster(2)) {
            InstanceSpec victim = zookeeper.getInstances().iterator().next();
            zookeeper.killServer(victim);
            try {
                assertThat(cluster.admin(1, "POST", "/ramp?green=20&wait=converged")
                                .statusCode())
                        .isEqualTo(200);
                assertThat(cluster.node(2).proxy().traffic().split()).isEqualTo(new Split(20));
            } finally {
                zookeeper.restartServer(victim);
            }
        }
    }

    @Test
    void aRestartedInstanceRejoinsOnTheCurrentState() {
        try (TealCluster cluster = cluster(2)) {
            cluster.stop(2);
            assertThat(cluster.admin(1, "POST", "/ramp?green=60").statusCode()).isEqualTo(200);

            cluster.restart(2);

            assertThat(cluster.node(2).proxy().traffic().split()).isEqualTo(new Split(60));
            assertThat(cluster.admin(2, "POST", "/ramp?green=70&wait=converged").statusCode())
                    .isEqualTo(200);
            assertThat(cluster.node(1).proxy().traffic().split()).isEqualTo(new Split(70));
        }
    }

    @Test
    void aSecondInstanceWithTheSameIdIsRefused() {
        try (TealCluster cluster = cluster(1)) {
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> dev.teal.admin.TealNode.start(
                    cluster.settings(1),
                    () -> cluster.settings(1),
                    new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT),
                    java.time.Clock.systemUTC()));

            assertThat(refused)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'teal-1' is in use by a live instance");
            assertThat(cluster.admin(1, "POST", "/ramp?green=10").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withTheWholeEnsembleStoppedRoutingGoesOnChangesAnswer503AndEverythingCatchesUp() throws Exception {
        try (TealCluster cluster = cluster(2);
                TealCluster fenced = TealCluster.start(
                        dir.resolve("fenced"),
                        zookeeper.getConnectString(),
                        "/teal/it-" + ROOTS.incrementAndGet(),
                        1,
                        "cluster.on-store-loss = fence")) {
            assertThat(cluster.admin(1, "POST", "/ramp?green=30&wait=converged").statusCode())
                    .isEqualTo(200);
            assertThat(fenced.admin(1, "GET", "/readyz").statusCode()).isEqualTo(200);
            List<InstanceSpec> servers = new ArrayList<>(zookeeper.getInstances());
            for (InstanceSpec server : servers) {
                zookeeper.killServer(server);
            }
            try {
                for (int i = 1; i <= 2; i++) {
                    int node = i;
                    Poll.until(
                            Duration.ofSeconds(10),
                            "node " + node + " sees the store gone",
                            () -> !connected(cluster, node));
                }
                // The data plane goes on with the last split applied.
                for (int i = 1; i <= 2; i++) {
                    assertThat(cluster.get(i, "/", Optional.empty()).statusCode())
                            .isEqualTo(200);
                    assertThat(cluster.node(i).proxy().traffic().split()).isEqualTo(new Split(30));
                }
                HttpResponse<String> refused = cluster.admin(2, "POST", "/ramp?green=50");
                assertThat(refused.statusCode()).isEqualTo(503);
                JsonNode error = JSON.readTree(refused.body());
                assertThat(error.path("error").asString()).isEqualTo("state store unreachable");
                assertThat(error.path("detail").asString()).contains("is unreachable since");
                assertThat(error.path("since").asString()).isNotEmpty();
                assertThat(cluster.admin(1, "GET", "/metrics").body()).contains("teal_state_store_connected 0.0");
                // serve (the default) stays ready; fence takes the instance out of the balancer.
                assertThat(cluster.admin(1, "GET", "/readyz").statusCode()).isEqualTo(200);
                Poll.until(
                        Duration.ofSeconds(10),
                        "the fenced instance is not ready",
                        () -> fenced.admin(1, "GET", "/readyz").statusCode() == 503);
                assertThat(fenced.admin(1, "GET", "/readyz").body()).contains("cluster.on-store-loss = fence");
            } finally {
                for (InstanceSpec server : servers) {
                    zookeeper.restartServer(server);
                }
            }
            for (int i = 1; i <= 2; i++) {
                int node = i;
                Poll.until(Duration.ofSeconds(20), "node " + node + " reconnects", () -> connected(cluster, node));
            }
            Poll.until(
                    Duration.ofSeconds(20),
                    "a ramp is taken again",
                    () -> cluster.admin(2, "POST", "/ramp?green=50").statusCode() == 200);
            Poll.until(
                    WITHIN_A_SECOND,
                    "node 1 catches up",
                    () -> cluster.node(1).proxy().traffic().split().equals(new Split(50)));
            assertThat(cluster.admin(1, "GET", "/metrics").body()).contains("teal_state_store_connected 1.0");
            Poll.until(
                    Duration.ofSeconds(10),
                    "the fenced instance is ready again",
                    () -> fenced.admin(1, "GET", "/readyz").statusCode() == 200);
        }
    }

    private static boolean connected(TealCluster cluster, int node) {
        try {
            return JSON.readTree(cluster.admin(node, "GET", "/status").body())
                    .path("cluster")
                    .path("connected")
                    .asBoolean();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
