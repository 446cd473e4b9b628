package dev.teal.admin.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code teal status}: the split, the rollout and both colors, in a few lines. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows the split, the rollout, and per color sessions, requests, backends and drain.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:refused by the admin API, or unreachable", "2:bad usage"})
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Option(names = "--json", description = "Print the admin API's JSON as is.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode status;
        try {
            status = admin.client().get("/status");
        } catch (AdminClient.AdminCallException e) {
            spec.commandLine().getErr().println("teal status: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        if (json) {
            out.println(AdminClient.pretty(status));
            return ExitCodes.OK;
        }
        out.println("split    " + Render.split(status.path("split")));
        out.println("rollout  " + Render.rollout(status.path("rollout")));
        for (String color : new String[] {"blue", "green"}) {
            JsonNode c = status.path("colors").path(color);
            if (!c.isMissingNode()) {
                out.println(Render.color(color, c));
            }
        }
        if (status.path("plan").path("configured").asBoolean()) {
            out.println(Render.plan(status.path("plan")));
        }
        JsonNode phases = status.path("phases");
        if (!phases.isEmpty()) {
            out.println("phases   rollout " + phases.get(0).path("rollout").asLong());
            for (JsonNode phase : phases) {
                out.println("  " + Render.phase(phase));
            }
        }
        return ExitCodes.OK;
    }
}
