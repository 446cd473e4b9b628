package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /history}: the sampled last hour, oldest first, as compact rows {@code [epochMillis,
 * greenPercent, blueSessions, greenSessions, blueInFlight, greenInFlight, blueUpgraded, greenUpgraded]}.
 */
final class HistoryEndpoint implements Endpoint {
    static final List<String> COLUMNS = List.of(
            "t",
            "green",
            "blueSessions",
            "greenSessions",
            "blueInFlight",
            "greenInFlight",
            "blueUpgraded",
            "greenUpgraded");

    private final SessionHistory history;

    HistoryEndpoint(SessionHistory history) {
        this.history = requireNonNull(history, "history");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams.parse(request, List.of());
        List<List<Long>> rows = new ArrayList<>();
        for (SessionHistory.Sample s : history.samples()) {
            rows.add(List.of(
                    s.at().toEpochMilli(),
                    (long) s.green(),
                    s.blue().sessions(),
                    s.greenCounts().sessions(),
                    s.blue().inFlight(),
                    s.greenCounts().inFlight(),
                    s.blue().upgraded(),
                    s.greenCounts().upgraded()));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("intervalSeconds", history.interval().toMillis() / 1000.0);
        view.put("columns", COLUMNS);
        view.put("samples", rows);
        return ApiResponse.json(view);
    }
}
