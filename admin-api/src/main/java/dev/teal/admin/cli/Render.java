package dev.teal.admin.cli;

import tools.jackson.databind.JsonNode;

/** Human-readable lines for the admin API's JSON, shared by the commands. */
final class Render {
    private Render() {}

    static String split(JsonNode split) {
        return "blue " + split.path("blue").asInt() + " %, green "
                + split.path("green").asInt() + " %";
    }

    /** The plan in two lines: state, step and hold, then the ladder and why it is where it is. */
    static String plan(JsonNode plan) {
        StringBuilder ladder = new StringBuilder();
        for (JsonNode step : plan.path("ladder")) {
            String mark =
                    switch (step.path("state").asString()) {
                        case "passed" -> "+";
                        case "holding" -> ">";
                        case "paused" -> "=";
                        case "failed" -> "x";
                        default -> " ";
                    };
            ladder.append('[').append(mark).append(step.path("percent").asInt()).append("%] ");
        }
        String line = "plan     " + plan.path("state").asString() + ", rollout "
                + plan.path("rollout").asLong() + " ("
                + plan.path("old").asString() + " -> " + plan.path("new").asString() + "), step "
                + plan.path("step").asInt() + " of " + plan.path("steps").asInt() + " ("
                + plan.path("percent").asInt() + " %)";
        JsonNode left = plan.path("holdLeftSeconds");
        if (left.isNumber()) {
            long s = left.asLong();
            line += ", hold " + String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                    + " left";
        }
        String now = plan.path("state").asString().equals("running")
                ? plan.path("now").asString()
                : plan.path("reason").asString();
        return line + "\n         " + ladder.toString().trim() + "\n         " + now;
    }

    static String rollout(JsonNode rollout) {
        String state = rollout.path("state").asString();
        if (rollout.path("id").asLong() == 0) {
            return "none yet (" + rollout.path("live").asString("?") + " is live)";
        }
        String line = rollout.path("id").asLong() + ": " + rollout.path("old").asString() + " -> "
                + rollout.path("new").asString() + ", " + state;
        if ("settled".equals(state) || "contracted".equals(state)) {
            line += " (" + rollout.path("live").asString() + " is live)";
        }
        return line + ", since " + rollout.path("changedAt").asString();
    }

    /** One line per migration phase: {@code expand  before-new  sql  succeeded  1.2 s  3 scripts applied}. */
    static String phase(JsonNode phase) {
        String line = String.format(
                "%-12s %-12s %-8s %-12s",
                phase.path("name").asString(),
                phase.path("trigger").asString(),
                phase.path("kind").asString(),
                phase.path("state").asString());
        if (!phase.path("durationMillis").isNull() && phase.has("durationMillis")) {
            line += String.format(" %8.1f s", phase.path("durationMillis").asLong() / 1000.0);
        }
        if (!phase.path("detail").isNull() && phase.has("detail")) {
            line += "  " + phase.path("detail").asString();
        }
        return line.stripTrailing();
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
