package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TealTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void listsEveryCommandInItsHelp() {
        int exitCode = execute("--help");

        assertThat(exitCode).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("run", "check", "demo", "ramp", "status", "drain-wait");
    }

    @Test
    void refusesToRunWithoutACommand() {
        int exitCode = execute();

        assertThat(exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString())
                .contains("Missing command: one of those listed below")
                .contains("Usage: teal");
    }

    @Test
    void refusesAnUnknownCommand() {
        int exitCode = execute("start");

        assertThat(exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("start");
    }

    @Test
    void requiresTheConfigurationFileToRun() {
        int exitCode = execute("run");

        assertThat(exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void requiresTheConfigurationFileToCheck() {
        int exitCode = execute("check");

        assertThat(exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void refusesADemoPortOutOfRange() {
        int exitCode = execute("demo", "--port", "70000");

        assertThat(exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("--port: 70000 (expected: 0-65535, 0 for any free port)");
    }

    private int execute(String... args) {
        CommandLine teal = Teal.commandLine();
        teal.setOut(new PrintWriter(out, true));
        teal.setErr(new PrintWriter(err, true));
        return teal.execute(args);
    }
}
