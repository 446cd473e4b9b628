package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.phase.JournalEntry;
import dev.teal.admin.phase.PhaseBoard;
import dev.teal.admin.phase.PhaseRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /phases}: the plan in the current rollout, and the journal (newest run first, {@code
 * limit} runs, default 50).
 */
final class PhasesEndpoint implements Endpoint {
    private static final int DEFAULT_LIMIT = 50;

    private final Optional<PhaseRunner> runner;

    PhasesEndpoint(Optional<PhaseRunner> runner) {
        this.runner = requireNonNull(runner, "runner");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams params = QueryParams.parse(request, List.of("limit"));
        int limit = params.integer("limit", 0, 1000).orElse(DEFAULT_LIMIT);
        Map<String, Object> view = new LinkedHashMap<>();
        if (runner.isEmpty()) {
            view.put("rollout", null);
            view.put("phases", List.of());
            view.put("journal", List.of());
            return ApiResponse.json(view);
        }
        PhaseBoard board = runner.get().board();
        view.put("rollout", PhaseViews.rollout(board));
        view.put("phases", PhaseViews.board(board));
        List<JournalEntry> entries = runner.get().journal();
        List<Map<String, Object>> journal = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0 && journal.size() < limit; i--) {
            journal.add(PhaseViews.entry(entries.get(i)));
        }
        view.put("journal", journal);
        return ApiResponse.json(view);
    }
}
