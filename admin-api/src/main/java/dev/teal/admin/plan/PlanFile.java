package dev.teal.admin.plan;

import dev.teal.admin.state.AtomicFile;
import dev.teal.admin.state.CorruptStateException;
import dev.teal.config.Color;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code plan.json} in the state directory, replaced whole and atomically on every decision. Read strictly:
 * a file that does not parse refuses the start rather than guessing where a release stood.
 *
 * <pre>{@code
 * {"version": 1, "rollout": 3, "old": "blue", "new": "green", "state": "running", "step": 1,
 *  "holdEndsAt": "2026-12-04T21:30:00Z", "holdLeft": null, "promote": false, "reason": "...",
 *  "startedAt": "...", "events": [{"at": "...", "type": "step", "percent": 5, "message": "..."}]}
 * }</pre>
 */
final class PlanFile {
    static final String NAME = "plan.json";
    private static final int VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicFile file;

    PlanFile(Path stateDir) {
        this.file = AtomicFile.in(stateDir, NAME);
    }

    /** @throws dev.teal.admin.state.StateWriteException when it cannot be written; the old file stays */
    void save(PlanRun run) {
        file.write(write(run));
    }

    /** The stored plan; empty when none was ever started. @throws CorruptStateException when unreadable */
    Optional<PlanRun> load() {
        byte[] bytes;
        try {
            bytes = file.read();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CorruptStateException(file.path() + ": cannot be read (" + e + ")", e);
        }
        try {
            return Optional.of(read(JSON.readTree(bytes)));
        } catch (JacksonException | IllegalArgumentException | DateTimeParseException e) {
            throw new CorruptStateException(
                    file.path() + ": not a plan file teal can read (" + e.getMessage()
                            + "); move it away to start without the plan",
                    e);
        }
    }

    static byte[] write(PlanRun run) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("rollout", run.rolloutId());
        root.put("old", run.oldColor().id());
        root.put("new", run.newColor().id());
        root.put("state", run.state().id());
        root.put("step", run.step());
        root.put("holdEndsAt", run.holdEndsAt().map(Instant::toString).orElse(null));
        root.put("holdLeft", run.holdLeft().map(Duration::toString).orElse(null));
        root.put("promote", run.promote());
        root.put("reason", run.reason());
        root.put("startedAt", run.startedAt().toString());
        ArrayNode events = root.putArray("events");
        for (PlanEvent e : run.events()) {
            ObjectNode event = events.addObject();
            event.put("at", e.at().toString());
            event.put("type", e.type());
            event.put("percent", e.percent());
            event.put("message", e.message());
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    static PlanRun read(JsonNode root) {
        int version = field(root, "version").asInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("version " + version + " (expected: " + VERSION + ")");
        }
        List<PlanEvent> events = new ArrayList<>();
        for (JsonNode e : field(root, "events")) {
            events.add(new PlanEvent(
                    Instant.parse(text(e, "at")),
                    text(e, "type"),
                    field(e, "percent").asInt(),
                    text(e, "message")));
        }
        return new PlanRun(
                field(root, "rollout").asLong(),
                color(text(root, "old")),
                color(text(root, "new")),
                PlanState.parse(text(root, "state"))
                        .orElseThrow(() -> new IllegalArgumentException("state: " + root.get("state"))),
                field(root, "step").asInt(),
                optionalText(root, "holdEndsAt").map(Instant::parse),
                optionalText(root, "holdLeft").map(Duration::parse),
                field(root, "promote").asBoolean(),
                text(root, "reason"),
                Instant.parse(text(root, "startedAt")),
                events);
    }

    private static Color color(String id) {
        return Color.parse(id).orElseThrow(() -> new IllegalArgumentException("color: " + id));
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(name + ": missing");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isString()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a string)");
        }
        return value.asString();
    }

    private static Optional<String> optionalText(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(text(node, name));
    }
}
