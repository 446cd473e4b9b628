package dev.teal.admin.api;

import java.util.Optional;

/**
 * One resource of the admin API. Runs on the admin worker threads, never on the event loop, so it may
 * block (file I/O, a phase); it answers or throws {@link ApiException}.
 */
@FunctionalInterface
interface Endpoint {
    ApiResponse handle(ApiRequest request);

    /**
     * For a prefix route: the 404 for a path under the prefix that names nothing here, looked at before the
     * method, so that {@code GET /rollout/restart} is "no such action" rather than "use POST".
     */
    default Optional<ApiError> notServed(String path) {
        return Optional.empty();
    }
}
