package dev.teal.admin.cli;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code teal rollout start|pause|resume|abort|promote|status}: drives the release plan ({@code
 * teal.rollout.plan}) through {@code /rollout/*} and shows where it stands.
 */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = {
            "Drives the release plan (teal.rollout.plan): teal walks the steps by itself, judging each from the"
                    + " new color's own traffic.",
            "A manual 'teal ramp' pauses the plan."
        },
        subcommandsRepeatable = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:refused by the admin API, or unreachable", "2:bad usage"})
public final class RolloutCommand {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts the plan: ramps to its first step.")
    int start(
            @Mixin AdminOptions admin,
            @Option(
                            names = "--next-release",
                            description = "The idle color runs a new release (needed after a contracted rollout).")
                    boolean nextRelease,
            @Option(names = "--json", description = "Print the admin API's JSON answer.") boolean json) {
        // The first step runs the gating phases (the expand) before it answers.
        return act(admin, "start" + (nextRelease ? "?next-release=true" : ""), json, Duration.ofHours(1));
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stops the plan where it is.")
    int pause(@Mixin AdminOptions admin, @Option(names = "--json") boolean json) {
        return act(admin, "pause", json, Duration.ofSeconds(10));
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Continues a paused plan from the step the split is at.")
    int resume(@Mixin AdminOptions admin, @Option(names = "--json") boolean json) {
        return act(admin, "resume", json, Duration.ofSeconds(10));
    }

    @Command(
            name = "abort",
            mixinStandardHelpOptions = true,
            description = "Ends the plan; the split stays where it is.")
    int abort(@Mixin AdminOptions admin, @Option(names = "--json") boolean json) {
        return act(admin, "abort", json, Duration.ofSeconds(10));
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = "Skips to 100 %% once the current step's checks and gates pass.")
    int promote(@Mixin AdminOptions admin, @Option(names = "--json") boolean json) {
        return act(admin, "promote", json, Duration.ofSeconds(10));
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Where the plan stands: the step, the hold left, the last analysis, the last decisions.")
    int status(@Mixin AdminOptions admin, @Option(names = "--json") boolean json) {
        JsonNode plan;
        try {
            plan = admin.client().get("/rollout");
        } catch (AdminClient.AdminCallException e) {
            spec.commandLine().getErr().println("teal rollout status: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        print(plan, json, true);
        return ExitCodes.OK;
    }

    private int act(AdminOptions admin, String action, boolean json, Duration wait) {
        JsonNode plan;
        try {
            plan = admin.client(wait).post("/rollout/" + action);
        } catch (AdminClient.AdminCallException e) {
            spec.commandLine()
                    .getErr()
                    .println("teal rollout " + action.replaceAll("\\?.*", "") + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        print(plan, json, false);
        return ExitCodes.OK;
    }

    private void print(JsonNode plan, boolean json, boolean detailed) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(AdminClient.pretty(plan));
            return;
        }
        if (!plan.path("configured").asBoolean()) {
            out.println("no release plan: " + plan.path("detail").asString());
            return;
        }
        out.println(Render.plan(plan));
        if (!detailed) {
            return;
        }
        JsonNode analysis = plan.path("analysis");
        if (!analysis.isMissingNode() && !analysis.isNull()) {
            out.println("analysis " + analysis.path("result").asString() + " over "
                    + analysis.path("window").asString().replace("PT", "").toLowerCase(java.util.Locale.ROOT));
            for (JsonNode check : analysis.path("checks")) {
                out.println("  "
                        + String.format(
                                java.util.Locale.ROOT,
                                "%-18s %-10s %s",
                                check.path("check").asString(),
                                check.path("result").asString(),
                                check.path("why").asString()));
            }
        }
        int shown = 0;
        for (JsonNode event : plan.path("events")) {
            if (shown++ == 5) {
                break;
            }
            out.println("  " + event.path("at").asString() + "  "
                    + event.path("type").asString() + ": "
                    + event.path("message").asString());
        }
    }
}
