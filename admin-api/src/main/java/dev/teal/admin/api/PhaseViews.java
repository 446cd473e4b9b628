package dev.teal.admin.api;

import dev.teal.admin.phase.AppliedVersion;
import dev.teal.admin.phase.JournalEntry;
import dev.teal.admin.phase.PhaseBoard;
import dev.teal.admin.phase.PhaseView;
import dev.teal.admin.rollout.StepPhase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of migration phases, key order fixed; instants as ISO-8601 strings, absent ones null. */
final class PhaseViews {
    private PhaseViews() {}

    /** The plan in the rollout shown: {@code /status}'s {@code phases}, and {@code GET /phases}. */
    static List<Map<String, Object>> board(PhaseBoard board) {
        List<Map<String, Object>> phases = new ArrayList<>();
        for (PhaseView phase : board.phases()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", phase.name());
            view.put("trigger", phase.trigger());
            view.put("kind", phase.kind());
            view.put("gates", phase.gates());
            view.put("rollout", board.rollout().id());
            view.put("state", phase.state().id());
            view.put(
                    "startedAt", phase.last().map(e -> Times.iso(e.startedAt())).orElse(null));
            view.put(
                    "endedAt",
                    phase.last().flatMap(JournalEntry::endedAt).map(Times::iso).orElse(null));
            view.put(
                    "durationMillis",
                    phase.last()
                            .flatMap(JournalEntry::duration)
                            .map(d -> d.toMillis())
                            .orElse(null));
            view.put("detail", phase.last().map(JournalEntry::detail).orElse(null));
            view.put("output", phase.last().map(JournalEntry::output).orElse(null));
            view.put("versions", phase.last().map(e -> versions(e.versions())).orElse(List.of()));
            phases.add(view);
        }
        return phases;
    }

    static Map<String, Object> rollout(PhaseBoard board) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", board.rollout().id());
        view.put("old", board.rollout().oldColor().id());
        view.put("new", board.rollout().newColor().id());
        return view;
    }

    static Map<String, Object> entry(JournalEntry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sequence", entry.sequence());
        view.put("rollout", entry.rollout());
        view.put("old", entry.oldColor().id());
        view.put("new", entry.newColor().id());
        view.put("phase", entry.phase());
        view.put("trigger", entry.trigger());
        view.put("kind", entry.kind());
        view.put("state", entry.state().id());
        view.put("startedAt", Times.iso(entry.startedAt()));
        view.put("endedAt", entry.endedAt().map(Times::iso).orElse(null));
        view.put("durationMillis", entry.duration().map(d -> d.toMillis()).orElse(null));
        view.put("detail", entry.detail());
        view.put("output", entry.output());
        view.put("versions", versions(entry.versions()));
        return view;
    }

    static Map<String, Object> step(StepPhase phase) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", phase.name());
        view.put("trigger", phase.trigger());
        view.put("kind", phase.kind());
        view.put("status", phase.status());
        view.put("detail", phase.detail().orElse(null));
        view.put("output", phase.output().orElse(null));
        return view;
    }

    private static List<Map<String, Object>> versions(List<AppliedVersion> versions) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (AppliedVersion version : versions) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("version", version.version());
            view.put("description", version.description());
            view.put("millis", version.took().toMillis());
            views.add(view);
        }
        return views;
    }
}
