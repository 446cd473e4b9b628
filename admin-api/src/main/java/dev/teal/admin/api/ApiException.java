package dev.teal.admin.api;

/** Thrown by an endpoint to answer with an {@link ApiError}; the state is unchanged. */
final class ApiException extends RuntimeException {
    private final ApiError error;

    ApiException(ApiError error) {
        super(error.detail(), null, false, false);
        this.error = error;
    }

    ApiError error() {
        return error;
    }
}
