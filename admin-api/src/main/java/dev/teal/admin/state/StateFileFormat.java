package dev.teal.admin.state;

import dev.teal.config.Color;
import dev.teal.proxy.Split;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state file's JSON, version 1. Read strictly: a missing field, a wrong type or an impossible
 * combination is an error that names the field, never a default.
 *
 * <pre>{@code
 * {"version": 1, "savedAt": "...",
 *  "split": {"green": 25},
 *  "rollout": {"id": 3, "old": "blue", "new": "green", "state": "ramping", "startedAt": "...", "changedAt": "..."}}
 * }</pre>
 */
public final class StateFileFormat {
    static final int VERSION = 1;

    private final JsonMapper mapper = JsonMapper.builder().build();

    public byte[] write(DurableState state, Instant savedAt) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", VERSION);
        root.put("savedAt", savedAt.toString());
        root.putObject("split").put("green", state.split().green());
        Rollout rollout = state.rollout();
        ObjectNode r = root.putObject("rollout");
        r.put("id", rollout.id());
        r.put("old", rollout.oldColor().id());
        r.put("new", rollout.newColor().id());
        r.put("state", rollout.state().id());
        r.put("startedAt", rollout.startedAt().toString());
        r.put("changedAt", rollout.changedAt().toString());
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * @throws IllegalArgumentException naming the field, its value and what was expected
     */
    public DurableState read(byte[] json) {
        if (new String(json, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new IllegalArgumentException("empty (expected: a JSON object; teal's atomic writes never leave an"
                    + " empty file, so something else truncated it)");
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
        long version = integer(root, "version");
        if (version != VERSION) {
            throw new IllegalArgumentException("version: " + version + " (expected: " + VERSION + ")");
        }
        JsonNode split = object(root, "split");
        long green = integer(split, "green", "split.green");
        if (green < 0 || green > 100) {
            throw new IllegalArgumentException("split.green: " + green + " (expected: 0-100)");
        }
        JsonNode r = object(root, "rollout");
        Rollout rollout = new Rollout(
                integer(r, "id", "rollout.id"),
                color(r, "old"),
                color(r, "new"),
                RolloutState.parse(string(r, "state", "rollout.state"))
                        .orElseThrow(() -> new IllegalArgumentException(
                                "rollout.state: '" + r.get("state").asString()
                                        + "' (expected: settled, ramping, draining, rolling-back or contracted)")),
                instant(r, "startedAt"),
                instant(r, "changedAt"));
        return new DurableState(new Split((int) green), rollout);
    }

    private static JsonNode object(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(name + ": " + describe(node) + " (expected: an object)");
        }
        return node;
    }

    private static long integer(JsonNode parent, String name) {
        return integer(parent, name, name);
    }

    private static long integer(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException(path + ": " + describe(node) + " (expected: an integer)");
        }
        return node.longValue();
    }

    private static String string(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isString()) {
            throw new IllegalArgumentException(path + ": " + describe(node) + " (expected: a string)");
        }
        return node.stringValue();
    }

    private static Color color(JsonNode parent, String name) {
        String value = string(parent, name, "rollout." + name);
        return Color.parse(value)
                .orElseThrow(() -> new IllegalArgumentException(
                        "rollout." + name + ": '" + value + "' (expected: blue or green)"));
    }

    private static Instant instant(JsonNode parent, String name) {
        String value = string(parent, name, "rollout." + name);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "rollout." + name + ": '" + value + "' (expected: an ISO-8601 instant like 2026-11-21T10:15:30Z)",
                    e);
        }
    }

    private static String describe(JsonNode node) {
        return node == null ? "(missing)" : node.toString();
    }
}
