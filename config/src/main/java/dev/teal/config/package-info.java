/**
 * Immutable settings records and their loader: HOCON in, validated records out.
 * Start at {@link dev.teal.config.SettingsLoader}; every default lives in {@code reference.conf}.
 */
package dev.teal.config;
