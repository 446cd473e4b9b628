package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.SessionView;
import dev.teal.proxy.TrafficControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /sessions?color=blue&limit=N}: a page of sessions for debugging. Without {@code color}, both
 * colors, blue first.
 */
final class SessionsEndpoint implements Endpoint {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final TrafficControl control;

    SessionsEndpoint(TrafficControl control) {
        this.control = requireNonNull(control, "control");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams params = QueryParams.parse(request, List.of("color", "limit"));
        Optional<Color> color = params.color("color");
        int limit = params.integer("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT);
        List<Map<String, Object>> sessions = new ArrayList<>();
        for (Color c : color.map(List::of).orElse(List.of(Color.values()))) {
            for (SessionView session : control.sessions(c, limit - sessions.size())) {
                if (sessions.size() == limit) {
                    break;
                }
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("id", session.idPrefix());
                view.put("color", session.color().id());
                view.put("ageSeconds", session.age().toSeconds());
                view.put("idleSeconds", session.idle().toSeconds());
                sessions.add(view);
            }
            if (sessions.size() == limit) {
                break;
            }
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("color", color.map(Color::id).orElse(null));
        view.put("limit", limit);
        view.put("count", sessions.size());
        view.put("sessions", sessions);
        return ApiResponse.json(view);
    }
}
