package dev.teal.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** STUB (launcher-demo branch, compile only): replaced by the config-loader branch's loader. */
public final class SettingsLoader {
    private SettingsLoader() {}

    public static TealSettings load(Optional<Path> file, Map<String, String> environment)
            throws InvalidSettingsException {
        throw new UnsupportedOperationException("SettingsLoader.load: not yet (config-loader branch)");
    }

    public static TealSettings parse(String text, Map<String, String> environment) throws InvalidSettingsException {
        throw new UnsupportedOperationException("SettingsLoader.parse: not yet (config-loader branch)");
    }
}
