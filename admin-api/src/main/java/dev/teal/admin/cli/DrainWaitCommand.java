package dev.teal.admin.cli;

import dev.teal.config.Color;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code teal drain-wait blue}: polls {@code /status} until the color is drained, printing progress
 * whenever it changes. The first call must succeed; later failures (an admin restart) are retried until
 * the time-out.
 */
@Command(
        name = "drain-wait",
        mixinStandardHelpOptions = true,
        description = "Waits until a color has drained (no sessions, requests or upgraded connections left).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:drained",
            "1:refused by the admin API, or unreachable",
            "2:bad usage",
            "3:still not drained at --timeout"
        })
public final class DrainWaitCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Parameters(index = "0", paramLabel = "COLOR", description = "blue or green.")
    String color;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Give up after this long (e.g. 45m; default: wait as long as it takes).")
    Duration timeout;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            defaultValue = "1s",
            description = "Time between two polls (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Color target = Color.parse(color)
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(), "COLOR: '" + color + "' (expected: blue or green)"));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminClient client = admin.client();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        String last = null;
        boolean first = true;
        while (true) {
            JsonNode c;
            try {
                c = client.get("/status").path("colors").path(target.id());
            } catch (AdminClient.AdminCallException e) {
                if (first) {
                    err.println("teal drain-wait: " + e.getMessage());
                    return ExitCodes.FAILED;
                }
                err.println("teal drain-wait: " + e.getMessage() + "; retrying");
                c = null;
            }
            first = false;
            if (c != null) {
                String progress = progress(target, c);
                if (!progress.equals(last)) {
                    out.println(progress);
                    out.flush();
                    last = progress;
                }
                if ("drained".equals(c.path("drain").asString())) {
                    return ExitCodes.OK;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                err.println("teal drain-wait: " + target + " not drained after " + timeout
                        + (last == null ? "" : " (" + last + ")"));
                return ExitCodes.TIMED_OUT;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, interval.toNanos()));
        }
    }

    private static String progress(Color color, JsonNode c) {
        StringBuilder line = new StringBuilder()
                .append(color)
                .append(": ")
                .append(c.path("drain").asString("?"))
                .append(", ")
                .append(c.path("activeSessions").asLong())
                .append(" sessions, ")
                .append(c.path("inFlight").asLong())
                .append(" in flight, ")
                .append(c.path("upgraded").asLong())
                .append(" upgraded");
        if (c.hasNonNull("drainDeadline")) {
            line.append(", deadline ").append(c.path("drainDeadline").asString());
        }
        if (c.hasNonNull("drainEstimate")) {
            line.append(", estimate ").append(c.path("drainEstimate").asString());
        }
        return line.toString();
    }
}
