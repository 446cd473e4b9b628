package dev.teal.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code teal} command: {@code teal run -c teal.conf}, {@code teal check -c teal.conf}, {@code teal
 * demo}. Exit codes are in {@link ExitCodes}.
 */
@Command(
        name = "teal",
        mixinStandardHelpOptions = true,
        description = "A session-draining blue/green reverse proxy.",
        subcommands = {
            RunCommand.class,
            CheckCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Teal implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The whole command tree, for {@link #main} and for tests that run it in-process. */
    static CommandLine commandLine() {
        return new CommandLine(new Teal());
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: run, check or demo");
    }
}
