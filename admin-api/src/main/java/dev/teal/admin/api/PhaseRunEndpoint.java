package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.phase.PhaseRunRefusedException;
import dev.teal.admin.phase.PhaseRunner;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /phases/{name}/run}: re-runs a phase that failed, timed out, was interrupted or skipped in
 * the current rollout. It runs in the background: the answer (202) says what started; {@code GET /phases}
 * follows it. A phase that cannot run now is a 409 saying why.
 */
final class PhaseRunEndpoint implements Endpoint {
    static final String PREFIX = "/phases/";
    private static final String SUFFIX = "/run";

    private final Optional<PhaseRunner> runner;

    PhaseRunEndpoint(Optional<PhaseRunner> runner) {
        this.runner = requireNonNull(runner, "runner");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        String path = request.path();
        if (!path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
            throw ApiError.notFound(path).exception();
        }
        String name = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        QueryParams.parse(request, List.of());
        if (runner.isEmpty() || !runner.get().has(name)) {
            throw ApiError.of(
                            HttpResponseStatus.NOT_FOUND,
                            "no such phase",
                            "phase: '" + ApiRequest.abbreviate(name) + "' (expected: a phase of teal.rollout.phases"
                                    + (runner.isEmpty() ? "; none is configured" : "; GET /phases lists them") + ")")
                    .exception();
        }
        List<String> started;
        try {
            started = runner.get().runByHand(name);
        } catch (PhaseRunRefusedException e) {
            throw ApiError.conflict(e.getMessage()).exception();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("started", started);
        view.put("detail", "running in the background; GET /phases shows how it ends");
        return ApiResponse.json(HttpResponseStatus.ACCEPTED, view, "started " + String.join(", ", started));
    }
}
