package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.plan.PlanRefusedException;
import dev.teal.admin.plan.PlanRunner;
import dev.teal.admin.plan.PlanView;
import dev.teal.admin.rollout.RampRefusedException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The release plan: {@code GET /rollout} shows it; {@code POST /rollout/start} (with {@code
 * next-release}), {@code /rollout/pause}, {@code /rollout/resume}, {@code /rollout/abort} and {@code
 * /rollout/promote} drive it. Each answers the plan as it now stands, or 409 saying why it cannot.
 */
final class RolloutEndpoint implements Endpoint {
    static final String PATH = "/rollout";
    static final String PREFIX = "/rollout/";
    private static final List<String> ACTIONS = List.of("start", "pause", "resume", "abort", "promote");

    private final Optional<PlanRunner> runner;

    RolloutEndpoint(Optional<PlanRunner> runner) {
        this.runner = requireNonNull(runner, "runner");
    }

    @Override
    public Optional<ApiError> notServed(String path) {
        if (path.equals(PATH) || ACTIONS.contains(path.substring(PREFIX.length()))) {
            return Optional.empty();
        }
        return Optional.of(ApiError.of(
                HttpResponseStatus.NOT_FOUND,
                "not found",
                "no such action: " + ApiRequest.abbreviate(path) + " (expected: POST " + PREFIX
                        + String.join(", " + PREFIX, ACTIONS) + ", or GET " + PATH + ")"));
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        String path = request.path();
        if (path.equals(PATH)) {
            if (!request.method().equals(HttpMethod.GET)) {
                throw ApiError.methodNotAllowed(request.method().name(), path, "GET")
                        .exception();
            }
            QueryParams.parse(request, List.of());
            return ApiResponse.json(runner.map(r -> PlanViews.plan(r.view())).orElseGet(PlanViews::none));
        }
        String action = path.substring(PREFIX.length());
        Optional<ApiError> unknown = notServed(path);
        if (unknown.isPresent()) {
            throw unknown.get().exception();
        }
        if (!request.method().equals(HttpMethod.POST)) {
            throw ApiError.methodNotAllowed(request.method().name(), path, "POST")
                    .exception();
        }
        QueryParams params = QueryParams.parse(request, action.equals("start") ? List.of("next-release") : List.of());
        // Every value is checked before anything else is: a bad one is named even when no plan could run.
        boolean nextRelease = params.bool("next-release", false);
        if (runner.isEmpty()) {
            throw ApiError.conflict("no release plan: teal.rollout.plan.steps is empty (expected: a plan such as"
                            + " steps = [1, 5, 25, 50, 100])")
                    .exception();
        }
        PlanRunner plan = runner.get();
        PlanView view;
        try {
            view = switch (action) {
                case "start" -> plan.start(nextRelease);
                case "pause" -> plan.pause("");
                case "resume" -> plan.resume();
                case "abort" -> plan.abort();
                default -> plan.promote();
            };
        } catch (PlanRefusedException e) {
            throw ApiError.conflict(e.getMessage()).exception();
        } catch (RampRefusedException e) {
            ApiError error = e.phase().isPresent()
                    ? ApiError.of(HttpResponseStatus.CONFLICT, "phase failed", e.getMessage())
                            .with("phase", PhaseViews.step(e.phase().get()))
                    : ApiError.conflict("the first step was refused: " + e.getMessage());
            throw error.exception();
        }
        Map<String, Object> body = PlanViews.plan(view);
        return ApiResponse.json(
                HttpResponseStatus.OK, body, action + ": " + view.run().reason());
    }
}
