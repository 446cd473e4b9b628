package dev.teal.admin;

import dev.teal.admin.cli.DrainWaitCommand;
import dev.teal.admin.cli.RampCommand;
import dev.teal.admin.cli.RolloutCommand;
import dev.teal.admin.cli.StatusCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code teal} command: the process commands ({@code teal run -c teal.conf}, {@code teal check -c
 * teal.conf}, {@code teal demo}; exit codes in {@link ExitCodes}) and the admin API's clients ({@code teal
 * ramp 25}, {@code teal status}, {@code teal drain-wait blue}). One line per command below registers it.
 */
@Command(
        name = "teal",
        mixinStandardHelpOptions = true,
        versionProvider = Teal.Version.class,
        // Every command gets -h/--help and -V/--version.
        scope = ScopeType.INHERIT,
        description = "A session-draining blue/green reverse proxy.",
        subcommands = {
            RunCommand.class,
            CheckCommand.class,
            DemoCommand.class,
            RampCommand.class,
            StatusCommand.class,
            DrainWaitCommand.class,
            RolloutCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Teal implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        NettyDefaults.apply();
        System.exit(commandLine().execute(args));
    }

    /** The whole command tree, for {@link #main} and for tests that run it in-process. */
    static CommandLine commandLine() {
        return new CommandLine(new Teal());
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: one of those listed below");
    }

    /** The version the build wrote into the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Teal.class.getPackage().getImplementationVersion();
            return new String[] {"teal " + (version == null ? "(development build, not from the jar)" : version)};
        }
    }
}
