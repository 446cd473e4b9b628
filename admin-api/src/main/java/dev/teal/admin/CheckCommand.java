package dev.teal.admin;

import dev.teal.config.TealSettings;
import dev.teal.proxy.tls.InvalidCertificateException;
import dev.teal.proxy.tls.TlsTermination;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code teal check -c teal.conf}: validates the configuration and starts nothing. */
@Command(
        name = "check",
        description =
                "Validate the configuration: print OK (and any warning on stderr), or every problem (exit code 2).")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    private SettingsFile settingsFile;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Optional<TealSettings> settings = settingsFile.load(spec.commandLine().getErr());
        if (settings.isEmpty()) {
            return ExitCodes.INVALID;
        }
        if (settings.get().tls().isPresent()) {
            try {
                for (String line : TlsTermination.check(settings.get().tls().get())) {
                    spec.commandLine().getErr().println("certificate " + line);
                }
            } catch (InvalidCertificateException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.INVALID;
            }
        }
        // Valid but most likely a mistake: said on stderr, the file still passes.
        for (String warning : settings.get().warnings()) {
            spec.commandLine().getErr().println("warning: " + warning);
        }
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println("OK: " + settingsFile.file());
        return ExitCodes.OK;
    }
}
