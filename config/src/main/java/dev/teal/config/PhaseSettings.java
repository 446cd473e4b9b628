package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One migration phase of the plan ({@code teal.rollout.phases[i]}).
 *
 * @param name unique in the plan: letters, digits, {@code -} and {@code _}, starting with a letter or a
 *     digit (it appears in URLs, metric labels and the environment)
 * @param trigger the point of the rollout it runs at
 * @param kind what it runs
 * @param timeout how long it may run before it is stopped and counted as timed out (default: {@code
 *     teal.rollout.phase-timeout})
 */
public record PhaseSettings(String name, PhaseTrigger trigger, Kind kind, Duration timeout) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    public PhaseSettings {
        requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name
                    + "' (expected: 1-63 letters, digits, '-' or '_', starting with a letter or a digit)");
        }
        requireNonNull(trigger, "trigger");
        requireNonNull(kind, "kind");
        Checks.positive(timeout, "timeout");
    }

    /** What a phase runs: SQL scripts, a program, or an HTTP request. */
    public sealed interface Kind permits Sql, Command, Http {
        /** {@code sql}, {@code command} or {@code http}, as the settings name it. */
        String id();
    }

    /**
     * Versioned SQL scripts applied with Flyway to {@code teal.rollout.datasource}.
     *
     * @param locations folders of scripts ({@code V1__add_full_name.sql}, ...), in the order given
     * @param table the phase's own Flyway history table (default {@code teal_<name>_history})
     */
    public record Sql(List<Path> locations, String table) implements Kind {
        static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

        public Sql {
            locations = List.copyOf(locations);
            if (locations.isEmpty()) {
                throw new IllegalArgumentException("sql.locations: [] (expected: at least one folder of scripts)");
            }
            requireNonNull(table, "table");
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException(
                        "sql.table: '" + table + "' (expected: an SQL identifier of letters, digits and '_')");
            }
        }

        /** The history table a phase uses when the settings name none. */
        public static String defaultTable(String phaseName) {
            return "teal_" + phaseName.replace('-', '_') + "_history";
        }

        @Override
        public String id() {
            return "sql";
        }
    }

    /**
     * A program run with arguments, without a shell.
     *
     * @param command the program (a path, or a name looked up on PATH) and its arguments
     */
    public record Command(List<String> command) implements Kind {
        public Command {
            command = List.copyOf(command);
            if (command.isEmpty() || command.get(0).isEmpty()) {
                throw new IllegalArgumentException("command: " + command + " (expected: a program and its arguments)");
            }
        }

        @Override
        public String id() {
            return "command";
        }
    }

    /**
     * An HTTP request.
     *
     * @param url where to send it (http or https)
     * @param method the method (default POST)
     * @param headers header fields to send, in order
     * @param body the request body (default empty)
     * @param expect the status that means success; empty (the default) for any 2xx
     */
    public record Http(URI url, String method, Map<String, String> headers, String body, OptionalInt expect)
            implements Kind {
        public Http {
            requireNonNull(url, "url");
            requireNonNull(method, "method");
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            requireNonNull(body, "body");
            requireNonNull(expect, "expect");
            expect.ifPresent(status -> {
                if (status < 100 || status > 599) {
                    throw new IllegalArgumentException("http.expect: " + status + " (expected: a status 100-599)");
                }
            });
        }

        /** Whether {@code status} is the one expected. */
        public boolean expected(int status) {
            return expect.isPresent() ? status == expect.getAsInt() : status >= 200 && status < 300;
        }

        @Override
        public String id() {
            return "http";
        }
    }
}
