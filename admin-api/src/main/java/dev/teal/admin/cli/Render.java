package dev.teal.admin.cli;

import tools.jackson.databind.JsonNode;

/** Human-readable lines for the admin API's JSON, shared by the commands. */
final class Render {
    private Render() {}

    static String split(JsonNode split) {
        return "blue " + split.path("blue").asInt() + " %, green "
                + split.path("green").asInt() + " %";
    }

    static String rollout(JsonNode rollout) {
        String state = rollout.path("state").asString();
        if (rollout.path("id").asLong() == 0) {
            return "none yet (" + rollout.path("live").asString("?") + " is live)";
        }
        String line = rollout.path("id").asLong() + ": " + rollout.path("old").asString() + " -> "
                + rollout.path("new").asString() + ", " + state;
        if ("settled".equals(state)) {
            line += " (" + rollout.path("live").asString() + " is live)";
        }
        return line + ", since " + rollout.path("changedAt").asString();
    }

    static String color(String name, JsonNode color) {
        int healthy = 0;
        int total = 0;
        for (JsonNode backend : color.path("backends")) {
            total++;
            if (backend.path("healthy").asBoolean()) {
                healthy++;
            }
        }
        StringBuilder line = new StringBuilder(String.format(
                "%-6s %-9s %8d sessions  %6d in flight  %5d upgraded  backends %d/%d healthy",
                name,
                color.path("drain").asString(),
                color.path("activeSessions").asLong(),
                color.path("inFlight").asLong(),
                color.path("upgraded").asLong(),
                healthy,
                total));
        if (!color.path("drainDeadline").isNull() && color.has("drainDeadline")) {
            line.append("\n       drain deadline ")
                    .append(color.path("drainDeadline").asString());
            if (!color.path("drainEstimate").isNull()) {
                line.append(", estimate ").append(color.path("drainEstimate").asString());
            }
        }
        return line.toString();
    }
}
