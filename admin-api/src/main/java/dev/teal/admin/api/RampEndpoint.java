package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.cluster.ClusterView;
import dev.teal.admin.rollout.RampOutcome;
import dev.teal.admin.rollout.RampRefusedException;
import dev.teal.admin.rollout.RampRequest;
import dev.teal.admin.rollout.Ramper;
import dev.teal.admin.state.LiveState;
import dev.teal.config.Color;
import dev.teal.proxy.Split;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /ramp?green=N} (or {@code blue=N}), with {@code dry-run}, {@code force} and {@code
 * next-release}. {@code GET} is accepted on purpose: {@code curl admin/ramp?green=25} is how operators type
 * it. The answer lists the migration phases the step ran before moving traffic and those it started
 * after; a phase that failed refuses the step with 409 and the phase's outcome and output. A step that
 * lost the race with another (on this instance or another) is refused with 409 and the state that won.
 * {@code wait=converged} answers once every live instance applied the step ({@code converged: false}
 * after {@code wait-timeout} seconds, default 10).
 */
final class RampEndpoint implements Endpoint {
    private static final List<String> PARAMETERS =
            List.of("green", "blue", "dry-run", "force", "next-release", "wait", "wait-timeout");
    /** How long {@code wait=converged} waits by default for every instance to apply the step. */
    static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(10);

    private final Ramper ramper;
    private final LiveState state;
    private final ClusterView cluster;

    RampEndpoint(Ramper ramper, LiveState state, ClusterView cluster) {
        this.ramper = requireNonNull(ramper, "ramper");
        this.state = requireNonNull(state, "state");
        this.cluster = requireNonNull(cluster, "cluster");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams params = QueryParams.parse(request, PARAMETERS);
        RampRequest ramp = parse(params);
        Optional<Duration> converge = converge(params);
        RampOutcome outcome;
        try {
            outcome = ramper.ramp(ramp);
        } catch (RampRefusedException e) {
            ApiError error = e.phase().isPresent()
                    ? ApiError.of(HttpResponseStatus.CONFLICT, "phase failed", e.getMessage())
                            .with("phase", PhaseViews.step(e.phase().get()))
                    : ApiError.conflict(e.getMessage());
            // The loser of two concurrent ramps (here or on another instance) sees what won.
            throw error.with("current", Views.state(state.current(), state.version()))
                    .exception();
        }
        Split before = outcome.step().before().split();
        Split after = outcome.step().after().split();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("applied", outcome.applied());
        view.put("dryRun", ramp.dryRun());
        view.put("split", Views.split(after));
        view.put("previous", Views.split(before));
        view.put("rollout", Views.rollout(outcome.step().after().rollout(), after));
        view.put("forced", outcome.step().forced().map(Color::id).orElse(null));
        view.put("changes", outcome.changes());
        view.put("phases", outcome.phases().stream().map(PhaseViews::step).toList());
        view.put("stateVersion", state.version());
        if (converge.isPresent()) {
            view.put("converged", awaitConverged(state.version(), converge.get()));
            view.put("instances", Views.instances(cluster.instances()));
        }
        String note = (outcome.applied() ? "" : "dry run: ")
                + (outcome.changes().isEmpty() ? "no change" : String.join("; ", outcome.changes()));
        return ApiResponse.json(HttpResponseStatus.OK, view, note);
    }

    private boolean awaitConverged(long version, Duration timeout) {
        try {
            return cluster.awaitConverged(version, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code wait=converged}: answer once every live instance applied the step (at most wait-timeout). */
    private static Optional<Duration> converge(QueryParams params) {
        Optional<String> wait = params.value("wait");
        Optional<Integer> seconds = params.integer("wait-timeout", 1, 60);
        if (wait.isEmpty()) {
            if (seconds.isPresent()) {
                throw ApiError.badRequest("wait-timeout: given without wait=converged (expected: both, or neither)")
                        .exception();
            }
            return Optional.empty();
        }
        if (!wait.get().equals("converged")) {
            throw ApiError.badRequest("wait: '" + ApiRequest.abbreviate(wait.get()) + "' (expected: converged)")
                    .exception();
        }
        return Optional.of(seconds.map(Duration::ofSeconds).orElse(CONVERGE_TIMEOUT));
    }

    private static RampRequest parse(QueryParams params) {
        Optional<Integer> green = params.integer("green", 0, 100);
        Optional<Integer> blue = params.integer("blue", 0, 100);
        if (green.isPresent() && blue.isPresent()) {
            throw ApiError.badRequest("green, blue: both given (expected: exactly one of green=N or blue=N, N 0-100)")
                    .exception();
        }
        if (green.isEmpty() && blue.isEmpty()) {
            throw ApiError.badRequest("green: (missing) (expected: exactly one of green=N or blue=N, N 0-100)")
                    .exception();
        }
        boolean dryRun = params.bool("dry-run", false);
        boolean force = params.bool("force", false);
        boolean nextRelease = params.bool("next-release", false);
        Split target = green.map(Split::new).orElseGet(() -> Split.of(Color.BLUE, blue.get()));
        try {
            return new RampRequest(target, dryRun, force, nextRelease);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage()).exception();
        }
    }
}
