package dev.teal.admin.phase;

import dev.teal.config.Color;
import java.nio.charset.StandardCharsets;
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
 * The journal file's JSON, version 1, read strictly: a missing field or a wrong type is an error naming
 * the entry and the field.
 *
 * <pre>{@code
 * {"version": 1, "savedAt": "...", "entries": [
 *   {"sequence": 1, "rollout": 3, "old": "blue", "new": "green", "phase": "expand", "trigger": "before-new",
 *    "kind": "sql", "startedAt": "...", "endedAt": "...", "state": "succeeded", "detail": "...",
 *    "output": "...", "versions": [{"version": "1", "description": "add full name", "millis": 35}]}]}
 * }</pre>
 */
final class JournalFormat {
    static final int VERSION = 1;

    private final JsonMapper mapper = JsonMapper.builder().build();

    byte[] write(List<JournalEntry> entries, Instant savedAt) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", VERSION);
        root.put("savedAt", savedAt.toString());
        ArrayNode array = root.putArray("entries");
        for (JournalEntry entry : entries) {
            ObjectNode e = array.addObject();
            e.put("sequence", entry.sequence());
            e.put("rollout", entry.rollout());
            e.put("old", entry.oldColor().id());
            e.put("new", entry.newColor().id());
            e.put("phase", entry.phase());
            e.put("trigger", entry.trigger());
            e.put("kind", entry.kind());
            e.put("startedAt", entry.startedAt().toString());
            if (entry.endedAt().isPresent()) {
                e.put("endedAt", entry.endedAt().get().toString());
            } else {
                e.putNull("endedAt");
            }
            e.put("state", entry.state().id());
            e.put("detail", entry.detail());
            e.put("output", entry.output());
            ArrayNode versions = e.putArray("versions");
            for (AppliedVersion version : entry.versions()) {
                versions.addObject()
                        .put("version", version.version())
                        .put("description", version.description())
                        .put("millis", version.took().toMillis());
            }
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** @throws IllegalArgumentException naming the entry, the field and what was expected */
    List<JournalEntry> read(byte[] json) {
        if (new String(json, StandardCharsets.UTF_8).isBlank()) {
            throw new IllegalArgumentException("empty (expected: a JSON object)");
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        long version = integer(root, "version", "version");
        if (version != VERSION) {
            throw new IllegalArgumentException("version: " + version + " (expected: " + VERSION + ")");
        }
        JsonNode array = root.get("entries");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("entries: " + array + " (expected: an array)");
        }
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            entries.add(entry(array.get(i), "entries[" + i + "]"));
        }
        return entries;
    }

    private static JournalEntry entry(JsonNode e, String path) {
        if (!e.isObject()) {
            throw new IllegalArgumentException(path + ": " + e + " (expected: an object)");
        }
        List<AppliedVersion> versions = new ArrayList<>();
        JsonNode array = e.get("versions");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(path + ".versions: " + array + " (expected: an array)");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode v = array.get(i);
            String at = path + ".versions[" + i + "]";
            versions.add(new AppliedVersion(
                    string(v, "version", at),
                    string(v, "description", at),
                    Duration.ofMillis(integer(v, "millis", at))));
        }
        JsonNode ended = e.get("endedAt");
        String stateId = string(e, "state", path);
        try {
            return new JournalEntry(
                    integer(e, "sequence", path),
                    integer(e, "rollout", path),
                    color(e, "old", path),
                    color(e, "new", path),
                    string(e, "phase", path),
                    string(e, "trigger", path),
                    string(e, "kind", path),
                    instant(e, "startedAt", path),
                    ended == null || ended.isNull() ? Optional.empty() : Optional.of(instant(e, "endedAt", path)),
                    PhaseState.parse(stateId)
                            .orElseThrow(() -> new IllegalArgumentException(path + ".state: '" + stateId
                                    + "' (expected: running, succeeded, failed, timed-out, interrupted or skipped)")),
                    string(e, "detail", path),
                    string(e, "output", path),
                    versions);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new IllegalArgumentException(path + ": " + ex.getMessage(), ex);
        }
    }

    private static long integer(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException(path + "." + name + ": " + node + " (expected: an integer)");
        }
        return node.longValue();
    }

    private static String string(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isString()) {
            throw new IllegalArgumentException(path + "." + name + ": " + node + " (expected: a string)");
        }
        return node.stringValue();
    }

    private static Color color(JsonNode parent, String name, String path) {
        String value = string(parent, name, path);
        return Color.parse(value)
                .orElseThrow(() -> new IllegalArgumentException(
                        path + "." + name + ": '" + value + "' (expected: blue or green)"));
    }

    private static Instant instant(JsonNode parent, String name, String path) {
        String value = string(parent, name, path);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    path + "." + name + ": '" + value + "' (expected: an ISO-8601 instant)", e);
        }
    }
}
