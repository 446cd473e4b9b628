package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * {@code GET /events}: says whether a stream may start; {@link AdminChannelHandler} then hands the
 * connection to {@link StatusEvents}, which writes the stream.
 */
final class EventsEndpoint implements Endpoint {
    private final StatusEvents events;

    EventsEndpoint(StatusEvents events) {
        this.events = requireNonNull(events, "events");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams.parse(request, List.of());
        if (events.full()) {
            return ApiError.unavailable(
                            "too many event streams",
                            StatusEvents.MAX_SUBSCRIBERS + " are open; poll GET /status instead")
                    .toResponse();
        }
        return ApiResponse.text(HttpResponseStatus.OK, StatusEvents.CONTENT_TYPE, "");
    }
}
