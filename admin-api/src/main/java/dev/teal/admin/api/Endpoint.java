package dev.teal.admin.api;

/**
 * One resource of the admin API. Runs on the admin worker threads, never on the event loop, so it may
 * block (file I/O, a phase); it answers or throws {@link ApiException}.
 */
@FunctionalInterface
interface Endpoint {
    ApiResponse handle(ApiRequest request);
}
