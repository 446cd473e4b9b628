package dev.teal.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code teal check -c teal.conf}: validates the configuration and starts nothing. */
@Command(name = "check", description = "Validate the configuration: print OK, or every problem (exit code 2).")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    private SettingsFile settingsFile;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (settingsFile.load(spec.commandLine().getErr()).isEmpty()) {
            return ExitCodes.INVALID;
        }
        spec.commandLine().getOut().println("OK: " + settingsFile.file());
        return ExitCodes.OK;
    }
}
