package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.LiveState;
import dev.teal.proxy.TrafficControl;
import dev.teal.proxy.TrafficSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /status}: the split, the rollout, both colors (backends, sessions, requests, upgraded
 * connections, drain), and the phases (none until the migration-phase work lands).
 */
final class StatusEndpoint implements Endpoint {
    private final TrafficControl control;
    private final LiveState state;

    StatusEndpoint(TrafficControl control, LiveState state) {
        this.control = requireNonNull(control, "control");
        this.state = requireNonNull(state, "state");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams.parse(request, List.of());
        DurableState durable = state.current();
        TrafficSnapshot snapshot = control.snapshot();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("at", snapshot.at().toString());
        view.put("split", Views.split(snapshot.split()));
        view.put("rollout", Views.rollout(durable.rollout(), durable.split()));
        view.put("colors", Views.colors(snapshot.colors(), snapshot.split()));
        view.put("phases", List.of());
        return ApiResponse.json(view);
    }
}
