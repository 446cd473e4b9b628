package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** {@code GET /healthz} (the process serves) and {@code GET /readyz} (it should get traffic). */
final class HealthEndpoints {
    private HealthEndpoints() {}

    static Endpoint liveness() {
        return request -> {
            QueryParams.parse(request, List.of());
            return ApiResponse.json(Map.of("status", "ok"));
        };
    }

    static Endpoint readiness(Readiness readiness) {
        requireNonNull(readiness, "readiness");
        return request -> {
            QueryParams.parse(request, List.of());
            List<String> problems = readiness.problems();
            if (problems.isEmpty()) {
                return ApiResponse.json(Map.of("status", "ready"));
            }
            throw ApiError.unavailable("not ready", String.join("; ", problems)).exception();
        };
    }
}
