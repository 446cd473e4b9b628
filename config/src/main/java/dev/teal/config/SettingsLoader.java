package dev.teal.config;

/** Loads and validates settings. (Being written.) */
public final class SettingsLoader {
    private SettingsLoader() {}
}
