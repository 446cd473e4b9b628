package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.cluster.InstanceView;
import dev.teal.admin.cluster.Leadership;
import dev.teal.admin.testing.AdminHarness;
import dev.teal.proxy.Split;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two admin servers over real sockets, one the leader and one not: what the one that is not answers,
 * with a leader, without one, and when a forwarded change reaches it after leadership moved.
 */
class LeaderForwardingIT {
    private static final String TOKEN = "forwarding-test-token-0123456789";
    private static final String BEARER = "Bearer " + TOKEN;

    @TempDir
    Path dir;

    /** A leadership the test decides: who leads, and whether this instance does. */
    private static final class Fixed implements Leadership {
        volatile boolean leading;
        volatile Optional<InstanceView> leader = Optional.empty();

        @Override
        public boolean isLeader() {
            return leading;
        }

        @Override
        public Optional<InstanceView> leader() {
            return leader;
        }

        @Override
        public OptionalLong fencingToken() {
            return leading ? OptionalLong.of(7) : OptionalLong.empty();
        }

        @Override
        public void onChange(Listener listener) {}
    }

    @Test
    void aChangeOnAnInstanceThatDoesNotLeadIsCarriedOutByTheLeaderAndAnsweredAsItAnswered() {
        Fixed leads = new Fixed();
        leads.leading = true;
        Fixed follows = new Fixed();
        try (AdminHarness leader = AdminHarness.start(
                        dir.resolve("a"), b -> b.token(Optional.of(TOKEN)).leadership(leads, "a"));
                AdminHarness follower = AdminHarness.start(
                        dir.resolve("b"), b -> b.token(Optional.of(TOKEN)).leadership(follows, "b"))) {
            follows.leader =
                    Optional.of(new InstanceView("a", leader.server().uri().toString(), 0, Instant.now(), false));

            HttpResponse<String> ramp = follower.post("/ramp?green=25", "Authorization", BEARER);

            assertThat(ramp.statusCode()).isEqualTo(200);
            assertThat(ramp.headers().firstValue("teal-leader")).contains("a");
            JsonNode body = AdminHarness.json(ramp);
            assertThat(body.path("applied").asBoolean()).isTrue();
            assertThat(body.path("split").path("green").asInt()).isEqualTo(25);
            // The leader's data plane moved, not the follower's (it follows through the store in a cluster).
            assertThat(leader.control().split()).isEqualTo(new Split(25));
            assertThat(follower.control().split()).isEqualTo(new Split(0));

            // The leader's refusals come back as the leader gave them.
            HttpResponse<String> phase = follower.post("/phases/nope/run", "Authorization", BEARER);
            assertThat(phase.statusCode()).isEqualTo(404);
            assertThat(AdminHarness.json(phase).path("error").asString()).isEqualTo("no such phase");
            HttpResponse<String> plan = follower.post("/rollout/start", "Authorization", BEARER);
            assertThat(plan.statusCode()).isEqualTo(409);
            assertThat(plan.headers().firstValue("teal-leader")).contains("a");

            // A wrong token never leaves the instance that got it.
            assertThat(follower.post("/ramp?green=30", "Authorization", "Bearer wrong-token-0123456789abcdef")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(leader.control().split()).isEqualTo(new Split(25));
            // Reads stay local.
            assertThat(follower.get("/status", "Authorization", BEARER)
                            .headers()
                            .firstValue("teal-leader"))
                    .isEmpty();
        }
    }

    @Test
    void withoutALeaderAChangeIs503AndNothingMoves() {
        Fixed follows = new Fixed();
        try (AdminHarness follower = AdminHarness.start(dir, b -> b.leadership(follows, "b"))) {
            HttpResponse<String> ramp = follower.post("/ramp?green=25");

            assertThat(ramp.statusCode()).isEqualTo(503);
            JsonNode error = AdminHarness.json(ramp);
            assertThat(error.path("error").asString()).isEqualTo("no leader");
            assertThat(error.path("detail").asString()).contains("no instance is the leader now");
            assertThat(follower.control().split()).isEqualTo(new Split(0));
            assertThat(follower.state().version()).isEqualTo(-1);
        }
    }

    @Test
    void aForwardedChangeThatReachesAnInstanceNoLongerLeadingIsNotForwardedAgain() {
        Fixed follows = new Fixed();
        try (AdminHarness other = AdminHarness.start(dir.resolve("a"));
                AdminHarness follower = AdminHarness.start(dir.resolve("b"), b -> b.leadership(follows, "b"))) {
            follows.leader =
                    Optional.of(new InstanceView("a", other.server().uri().toString(), 0, Instant.now(), false));

            HttpResponse<String> ramp = follower.post("/ramp?green=25", "Teal-Forwarded-By", "c");

            assertThat(ramp.statusCode()).isEqualTo(503);
            assertThat(AdminHarness.json(ramp).path("detail").asString())
                    .contains("forwarded by c", "no longer the leader");
            assertThat(other.control().split()).isEqualTo(new Split(0));
        }
    }

    @Test
    void aLeaderThatCannotBeReachedIs503() {
        Fixed follows = new Fixed();
        try (AdminHarness follower = AdminHarness.start(dir, b -> b.leadership(follows, "b"))) {
            // A port nothing listens on: the admin API of a leader that just died.
            follows.leader = Optional.of(new InstanceView("a", "http://127.0.0.1:1/", 0, Instant.now(), false));

            HttpResponse<String> ramp = follower.post("/ramp?green=25");

            assertThat(ramp.statusCode()).isEqualTo(503);
            assertThat(AdminHarness.json(ramp).path("error").asString()).isEqualTo("leader unreachable");
            assertThat(follower.control().split()).isEqualTo(new Split(0));
        }
    }
}
