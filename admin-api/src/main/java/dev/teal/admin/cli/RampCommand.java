package dev.teal.admin.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code teal ramp 25}: sets the percent of new sessions sent to green (or {@code --blue N}). */
@Command(
        name = "ramp",
        mixinStandardHelpOptions = true,
        description = {
            "Sets the split: the percent of new sessions sent to green (or to blue with --blue).",
            "Existing sessions stay on their color unless --force."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:applied (or previewed)", "1:refused by the admin API, or unreachable", "2:bad usage"})
public final class RampCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "GREEN",
            description = "Percent of new sessions to green, 0-100.")
    Integer green;

    @Option(names = "--blue", paramLabel = "N", description = "Percent of new sessions to blue instead, 0-100.")
    Integer blue;

    @Option(names = "--dry-run", description = "Show what would change; change nothing.")
    boolean dryRun;

    @Option(
            names = "--force",
            description = "Also move the sessions pinned to the color left at 0 %% (emergency rollback).")
    boolean force;

    @Option(
            names = "--next-release",
            description = "The color gaining share runs a new release: needed to ramp after a contracted rollout.")
    boolean nextRelease;

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "How long to wait for the answer: the migration phases that gate the step run before it"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--json", description = "Print the admin API's JSON answer.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((green == null) == (blue == null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "Give exactly one of GREEN or --blue N (e.g. 'teal ramp 25' or 'teal ramp --blue 100')");
        }
        String query = (green != null ? "green=" + green : "blue=" + blue)
                + (dryRun ? "&dry-run=true" : "")
                + (force ? "&force=true" : "")
                + (nextRelease ? "&next-release=true" : "");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonNode answer;
        try {
            answer = admin.client(wait).post("/ramp?" + query);
        } catch (AdminClient.AdminCallException e) {
            err.println("teal ramp: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        if (json) {
            out.println(AdminClient.pretty(answer));
            return ExitCodes.OK;
        }
        out.println((answer.path("applied").asBoolean() ? "applied" : "dry run, nothing changed") + ": "
                + Render.split(answer.path("split")) + " (was " + Render.split(answer.path("previous")) + ")");
        out.println("rollout " + Render.rollout(answer.path("rollout")));
        JsonNode changes = answer.path("changes");
        if (changes.isEmpty()) {
            out.println("no change");
        }
        for (JsonNode change : changes) {
            out.println((answer.path("applied").asBoolean() ? "  - " : "  would: ") + change.asString());
        }
        return ExitCodes.OK;
    }
}
