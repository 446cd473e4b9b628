package dev.teal.admin.api;

/**
 * Re-reads the configuration file and applies it to the data plane ({@code POST /reload}; {@code SIGHUP}
 * calls the same one). The launcher provides it: load and validate, then {@code
 * TrafficControl.reload(settings)}.
 */
@FunctionalInterface
public interface Reloader {
    /**
     * @return one line saying what was applied (e.g. "3 blue and 2 green backends")
     * @throws ReloadRefusedException when the file is not valid; nothing was applied
     */
    String reload();
}
