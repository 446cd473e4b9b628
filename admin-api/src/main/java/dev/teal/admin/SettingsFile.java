package dev.teal.admin;

import dev.teal.config.InvalidSettingsException;
import dev.teal.config.SettingsLoader;
import dev.teal.config.TealSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code -c FILE} option shared by the commands that read the operator's configuration. */
final class SettingsFile {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The configuration file (HOCON); environment variables override it.")
    private Path file;

    Path file() {
        return file;
    }

    /**
     * Loads and validates the file with the process environment; on failure prints every problem to
     * {@code err}, one per line under a heading, and answers empty.
     */
    Optional<TealSettings> load(PrintWriter err) {
        try {
            return Optional.of(SettingsLoader.load(Optional.of(file), System.getenv()));
        } catch (InvalidSettingsException e) {
            int count = e.problems().size();
            err.printf("%s: invalid settings (%d problem%s):%n", file, count, count == 1 ? "" : "s");
            e.problems().forEach(problem -> err.println("  " + problem));
            err.flush();
            return Optional.empty();
        }
    }
}
