package dev.teal.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads {@code teal.rollout} into {@link RolloutSettings}, reporting every problem on the way. The phases
 * are a list, which reference.conf cannot describe key by key: each phase's keys are checked here.
 */
final class RolloutSettingsReader {
    private static final List<String> PHASE_KEYS = List.of("name", "trigger", "sql", "command", "http", "timeout");
    private static final List<String> KINDS = List.of("sql", "command", "http");
    private static final List<String> SQL_KEYS = List.of("locations", "table");
    private static final List<String> HTTP_KEYS = List.of("url", "method", "headers", "body", "expect");
    private static final String FILESYSTEM = "filesystem:";
    /** Headers java.net.http sets itself and refuses to take from a caller. */
    private static final java.util.Set<String> CLIENT_HEADERS =
            java.util.Set.of("connection", "content-length", "expect", "host", "upgrade");

    private static final String PHASE = "an object such as { name = expand, trigger = before-new,"
            + " sql.locations = [\"filesystem:db/expand\"] }";
    private static final String JDBC_URL = "a JDBC URL whose driver is on the class path (teal ships jdbc:h2: and"
            + " jdbc:postgresql:), or \"\" for none";

    private final Problems problems;
    private final Map<String, String> environment;

    /** @param environment the environment teal runs with: PATH finds the programs of command phases */
    RolloutSettingsReader(Problems problems, Map<String, String> environment) {
        this.problems = requireNonNull(problems, "problems");
        this.environment = requireNonNull(environment, "environment");
    }

    /** The settings, or null when a problem was reported. */
    RolloutSettings read(SettingsNode node) {
        Optional<DataSourceSettings> datasource = datasource(node.child("datasource"));
        Duration phaseTimeout = node.positiveDuration("phase-timeout");
        List<PhaseSettings> phases = phases(node, datasource, phaseTimeout);
        PlanSettings plan = new PlanSettingsReader(problems).read(node.child("plan"));
        return node.build(() -> new RolloutSettings(datasource, phaseTimeout, phases, plan));
    }

    private Optional<DataSourceSettings> datasource(SettingsNode node) {
        String url = node.parsed("url", RolloutSettingsReader::jdbcUrl, JDBC_URL);
        String user = node.text("user", "a user name, or \"\" for none");
        Optional<ConfigValue> password = node.optional("password");
        String secret = null;
        if (password != null && password.isPresent()) {
            secret = SettingsNode.text(password.get());
            if (secret == null) {
                node.problem("password", SettingsNode.hidden(password.get()), "a password, such as ${?DB_PASSWORD}");
            }
        }
        String givenPassword = secret;
        Optional<DataSourceSettings> none = Optional.empty();
        return node.build(() -> url.isEmpty()
                ? none
                : Optional.of(new DataSourceSettings(
                        url,
                        user.isEmpty() ? Optional.empty() : Optional.of(user),
                        Optional.ofNullable(givenPassword))));
    }

    private static String jdbcUrl(String text) {
        if (text.isEmpty()) {
            return text;
        }
        if (!text.startsWith("jdbc:")) {
            throw new UnexpectedValueException(text, JDBC_URL);
        }
        try {
            DriverManager.getDriver(text);
            return text;
        } catch (SQLException e) {
            String scheme = text.split(":", 3).length > 1 ? "jdbc:" + text.split(":", 3)[1] + ":" : text;
            throw new UnexpectedValueException(
                    text,
                    "a JDBC URL whose driver is on the class path; none accepts " + scheme
                            + " (teal ships jdbc:h2: and jdbc:postgresql:; add a driver's jar to the class path"
                            + " for others)");
        }
    }

    private List<PhaseSettings> phases(
            SettingsNode node, Optional<DataSourceSettings> datasource, Duration phaseTimeout) {
        List<ConfigValue> values = node.list("phases", "a list of phases: [ { name = ..., trigger = ..., ... } ]");
        if (values == null) {
            return null;
        }
        List<PhaseSettings> phases = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> tables = new HashMap<>();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            String key = "phases[" + i + "]";
            SettingsNode phase = SettingsNode.element(values.get(i), node.path() + "." + key, problems, PHASE);
            PhaseSettings settings =
                    values.get(i) instanceof ConfigObject ? phase(phase, datasource, phaseTimeout) : null;
            if (settings == null) {
                valid = false;
                continue;
            }
            Integer earlier = names.putIfAbsent(settings.name(), i);
            if (earlier != null) {
                phase.problem(
                        "name",
                        "\"" + settings.name() + "\"",
                        "a name no other phase has; phases[" + earlier + "] is named so too");
                valid = false;
            }
            if (settings.kind() instanceof PhaseSettings.Sql sql) {
                Integer sharing = tables.putIfAbsent(sql.table().toLowerCase(java.util.Locale.ROOT), i);
                if (sharing != null) {
                    phase.problem(
                            "sql.table",
                            "\"" + sql.table() + "\"",
                            "a history table of its own; phases[" + sharing + "] uses it (one history per phase)");
                    valid = false;
                }
            }
            phases.add(settings);
        }
        return valid ? phases : null;
    }

    private PhaseSettings phase(SettingsNode node, Optional<DataSourceSettings> datasource, Duration phaseTimeout) {
        node.reportUnknown(PHASE_KEYS);
        String name = node.parsed("name", RolloutSettingsReader::phaseName, PHASE_NAME);
        PhaseTrigger trigger = node.parsed("trigger", PhaseTrigger::parse, PhaseTrigger.EXPECTED);
        Duration timeout = node.has("timeout") ? node.positiveDuration("timeout") : phaseTimeout;
        List<String> kinds = KINDS.stream().filter(node::has).toList();
        PhaseSettings.Kind kind = null;
        if (kinds.size() != 1) {
            problems.add(
                    node.path(),
                    kinds.isEmpty() ? "no sql, command or http" : String.join(" and ", kinds) + " both given",
                    "exactly one of sql.locations = [...], command = [...] or http { url = ... }");
        } else if (kinds.get(0).equals("sql")) {
            kind = sql(node, name, datasource);
        } else if (kinds.get(0).equals("command")) {
            kind = command(node);
        } else {
            kind = http(node.child("http"));
        }
        PhaseSettings.Kind given = kind;
        return node.build(() -> new PhaseSettings(name, trigger, given, timeout));
    }

    private static final String PHASE_NAME =
            "a name of 1-63 letters, digits, '-' or '_', starting with a letter or a digit, such as expand";

    private static String phaseName(String text) {
        if (!PhaseSettings.NAME.matcher(text).matches()) {
            throw new UnexpectedValueException(text, PHASE_NAME);
        }
        return text;
    }

    private PhaseSettings.Sql sql(SettingsNode phase, String name, Optional<DataSourceSettings> datasource) {
        SettingsNode node = phase.child("sql");
        node.reportUnknown(SQL_KEYS);
        List<Path> locations = locations(node);
        String table = node.has("table")
                ? node.parsed("table", RolloutSettingsReader::table, TABLE)
                : name == null ? null : PhaseSettings.Sql.defaultTable(name);
        if (table == null) {
            return null; // a bad name or table, already reported
        }
        if (datasource != null && datasource.isEmpty()) {
            phase.problem(
                    "sql",
                    "an sql phase",
                    "teal.rollout.datasource.url set to the database its scripts migrate, such as"
                            + " \"jdbc:postgresql://db.internal/shop\"");
        }
        return node.build(() -> new PhaseSettings.Sql(locations, table));
    }

    private static final String TABLE = "an SQL identifier of letters, digits and '_', such as teal_expand_history";

    private static String table(String text) {
        if (!PhaseSettings.Sql.TABLE.matcher(text).matches()) {
            throw new UnexpectedValueException(text, TABLE);
        }
        return text;
    }

    private List<Path> locations(SettingsNode node) {
        String expected = "filesystem:DIR, an existing folder of SQL scripts, such as \"filesystem:db/expand\"";
        List<ConfigValue> values = node.list("locations", "a list of folders, such as [\"filesystem:db/expand\"]");
        if (values == null) {
            return null;
        }
        if (values.isEmpty()) {
            node.problem("locations", "[]", "at least one folder, such as [\"filesystem:db/expand\"]");
            return null;
        }
        List<Path> locations = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String key = "locations[" + i + "]";
            ConfigValue value = values.get(i);
            String text = SettingsNode.text(value);
            if (text == null || !text.startsWith(FILESYSTEM) || text.length() == FILESYSTEM.length()) {
                node.problem(key, SettingsNode.shown(value), expected);
                continue;
            }
            String folder = text.substring(FILESYSTEM.length());
            try {
                Path path = Path.of(folder);
                if (!Files.isDirectory(path)) {
                    node.problem(
                            key,
                            SettingsNode.shown(value) + ", "
                                    + path.toAbsolutePath().normalize()
                                    + (Files.exists(path) ? " is not a directory" : " does not exist"),
                            expected);
                    continue;
                }
                locations.add(path);
            } catch (InvalidPathException e) {
                node.problem(key, SettingsNode.shown(value), expected);
            }
        }
        return locations.size() == values.size() ? locations : null;
    }

    private PhaseSettings.Command command(SettingsNode node) {
        String expected =
                "a list: the program and its arguments, such as [\"scripts/backfill.sh\", \"--batch\"," + " \"1000\"]";
        List<ConfigValue> values = node.list("command", expected);
        if (values == null) {
            return null;
        }
        if (values.isEmpty()) {
            node.problem("command", "[]", expected);
            return null;
        }
        List<String> command = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String text = SettingsNode.text(values.get(i));
            if (text == null || (i == 0 && text.isEmpty())) {
                node.problem("command[" + i + "]", SettingsNode.shown(values.get(i)), i == 0 ? "a program" : "text");
                return null;
            }
            command.add(text);
        }
        Optional<String> missing = missingProgram(command.get(0));
        if (missing.isPresent()) {
            node.problem("command[0]", SettingsNode.shown(values.get(0)) + ", " + missing.get(), PROGRAM);
            return null;
        }
        return new PhaseSettings.Command(command);
    }

    private static final String PROGRAM =
            "an executable file (a path relative to teal's working directory, or a program on PATH)";

    /** Why the program cannot be started, when it can be told now. */
    private Optional<String> missingProgram(String program) {
        try {
            if (program.contains("/")) {
                Path path = Path.of(program);
                if (!Files.exists(path)) {
                    return Optional.of(path.toAbsolutePath().normalize() + " does not exist");
                }
                return Files.isRegularFile(path) && Files.isExecutable(path)
                        ? Optional.empty()
                        : Optional.of(path.toAbsolutePath().normalize() + " is not an executable file");
            }
            String searchPath = environment.get("PATH");
            if (searchPath == null) {
                // Without PATH the launcher cannot know where the program will be found: the run will say.
                return Optional.empty();
            }
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                    return Optional.empty();
                }
            }
            return Optional.of("not found on PATH");
        } catch (InvalidPathException e) {
            return Optional.of("not a valid path (" + e.getReason() + ")");
        }
    }

    private PhaseSettings.Http http(SettingsNode node) {
        node.reportUnknown(HTTP_KEYS);
        String urlExpected = "an absolute http:// or https:// URL, such as \"http://green.internal/warmup\"";
        URI url = node.parsed("url", text -> httpUrl(text, urlExpected), urlExpected);
        String method = node.has("method")
                ? node.parsed(
                        "method",
                        text -> HttpToken.require(text, "an HTTP method such as POST"),
                        "an HTTP method such as POST")
                : "POST";
        Map<String, String> headers = node.has("headers") ? headers(node.child("headers")) : Map.of();
        String body = node.has("body") ? node.text("body", "the request body, as text") : "";
        OptionalInt expect = OptionalInt.empty();
        if (node.has("expect")) {
            Integer status = node.integer("expect", 100, 599, "an HTTP status code 100-599, such as 204");
            expect = status == null ? OptionalInt.empty() : OptionalInt.of(status);
        }
        OptionalInt expected = expect;
        return node.build(() -> new PhaseSettings.Http(url, method, headers, body, expected));
    }

    private static URI httpUrl(String text, String expected) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                throw new UnexpectedValueException(text, expected);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UnexpectedValueException(text, expected + " (" + e.getReason() + ")");
        }
    }

    private Map<String, String> headers(SettingsNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : node.entries()) {
            String name = entry.getKey();
            ConfigValue value = entry.getValue();
            String text = value instanceof ConfigObject ? null : SettingsNode.text(value);
            if (!HttpToken.isToken(name)) {
                node.problem(
                        com.typesafe.config.ConfigUtil.joinPath(name),
                        SettingsNode.shown(value),
                        "a header name (an RFC 9110 token) such as Authorization");
            } else if (CLIENT_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                node.problem(
                        name,
                        SettingsNode.hidden(value),
                        "a header other than Connection, Content-Length, Expect, Host and Upgrade, which the HTTP"
                                + " client sets itself");
            } else if (text == null || !text.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f))) {
                // CR or LF in a value would let the settings smuggle a header (CWE-113).
                node.problem(name, SettingsNode.hidden(value), "a header value: text without control characters");
            } else {
                headers.put(name, text);
            }
        }
        return headers;
    }
}
