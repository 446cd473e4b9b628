package dev.teal.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads and validates teal's settings: reference.conf (every default), overridden by the operator's
 * HOCON file, overridden by the few environment variables reference.conf names (secrets, addresses).
 * {@code ${VAR}} and {@code ${?VAR}} are resolved from the environment map given, never from the
 * process's own, so that tests and reloads see exactly what they pass.
 *
 * <p>Validation reports every problem at once, each naming the path, the value and what was expected;
 * a key that reference.conf does not have is a problem too. Values are read into the records by hand,
 * and the records' own checks remain as a safety net.
 */
public final class SettingsLoader {
    private static final Pattern UNCLOSED_OBJECT =
            Pattern.compile("^(\\d+: )?expecting a close parentheses '\\)' here, not: (.*)$");

    private static final String REFERENCE = "reference.conf";
    private static final String ROOT = "teal";

    private SettingsLoader() {}

    /**
     * Loads the settings.
     *
     * @param file the operator's HOCON file ({@code -c FILE}); empty for reference.conf alone
     * @param environment the environment variables ({@code System.getenv()} in the launcher)
     * @throws InvalidSettingsException listing every problem, a missing or unreadable file and a syntax
     *     error included
     */
    public static TealSettings load(Optional<Path> file, Map<String, String> environment)
            throws InvalidSettingsException {
        requireNonNull(file, "file");
        requireNonNull(environment, "environment");
        Config operator = file.isPresent() ? parseFile(file.get()) : ConfigFactory.empty();
        return settings(operator, environment);
    }

    /**
     * Loads the settings from HOCON text instead of a file (tests, and the admin API's reload).
     *
     * @throws InvalidSettingsException listing every problem, a syntax error included
     */
    public static TealSettings parse(String hocon, Map<String, String> environment) throws InvalidSettingsException {
        requireNonNull(hocon, "hocon");
        requireNonNull(environment, "environment");
        Config operator;
        try {
            operator = ConfigFactory.parseString(
                    hocon, ConfigParseOptions.defaults().setOriginDescription("settings text"));
        } catch (ConfigException e) {
            throw single(describe(e));
        }
        return settings(operator, environment);
    }

    private static Config parseFile(Path file) throws InvalidSettingsException {
        String expected = " (expected: a readable HOCON settings file)";
        if (!Files.exists(file)) {
            throw single("settings file " + file + ": no such file" + expected);
        }
        if (Files.isDirectory(file)) {
            throw single("settings file " + file + ": a directory" + expected);
        }
        if (!Files.isReadable(file)) {
            throw single("settings file " + file + ": not readable" + expected);
        }
        try {
            return ConfigFactory.parseFile(
                    file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw single(describe(e));
        }
    }

    private static TealSettings settings(Config operator, Map<String, String> environment)
            throws InvalidSettingsException {
        Config reference = reference();
        Config resolved;
        try {
            // The environment joins the tree only to feed substitutions; nothing outside teal is read.
            resolved = operator.withFallback(reference)
                    .withFallback(ConfigValueFactory.fromMap(environment, SettingsNode.ENVIRONMENT_ORIGIN + "s"))
                    .resolve(ConfigResolveOptions.noSystem());
        } catch (ConfigException e) {
            throw single(describe(e));
        }
        Config settings = EnvironmentOverrides.apply(resolved, environment);

        Problems problems = new Problems();
        ConfigValue teal = settings.root().get(ROOT);
        if (teal instanceof ConfigObject) {
            new KnownKeys((ConfigObject) reference.root().get(ROOT)).check(ROOT, (ConfigObject) teal, problems);
        }
        TealSettings result = new SettingsReader(problems, environment).read(settings);
        problems.throwIfAny();
        return requireNonNull(result, "result");
    }

    /** reference.conf, unresolved: its key tree is what {@link KnownKeys} checks against. */
    private static Config reference() {
        try {
            Config reference = ConfigFactory.parseResources(
                    SettingsLoader.class.getClassLoader(),
                    REFERENCE,
                    ConfigParseOptions.defaults().setAllowMissing(false));
            if (!(reference.root().get(ROOT) instanceof ConfigObject)) {
                throw new IllegalStateException(REFERENCE + ": no " + ROOT + " object (expected: teal's defaults)");
            }
            return reference;
        } catch (ConfigException e) {
            throw new IllegalStateException(REFERENCE + " is broken: " + e.getMessage(), e);
        }
    }

    /** A parse or resolve failure, with where it happened: {@code teal.conf: 3: Expecting ...}. */
    private static String describe(ConfigException e) {
        ConfigOrigin origin = e.origin();
        String where = origin == null ? "settings" : origin.description();
        String what = plainWords(
                e.getMessage().startsWith(where + ": ")
                        ? e.getMessage().substring(where.length() + 2)
                        : e.getMessage());
        String expected;
        if (e instanceof ConfigException.UnresolvedSubstitution) {
            expected = "an environment variable or a setting of that name; ${?NAME} may be unset";
        } else if (e instanceof ConfigException.Parse) {
            expected = "valid HOCON";
        } else {
            expected = "HOCON settings that parse and resolve";
        }
        return where + ": " + what + " (expected: " + expected + ")";
    }

    /**
     * typesafe-config reports an object left open as "expecting a close parentheses ')' here" (its parser
     * names the wrong bracket); say what is missing instead.
     */
    private static String plainWords(String message) {
        Matcher unclosed = UNCLOSED_OBJECT.matcher(message);
        if (!unclosed.find()) {
            return message;
        }
        String before = unclosed.group(2).equals("end of file") ? "the end of the file" : unclosed.group(2);
        return unclosed.group(1) + "a closing '}' is missing before " + before
                + " (an object opened with '{' is not closed)";
    }

    private static InvalidSettingsException single(String problem) {
        return new InvalidSettingsException(List.of(problem));
    }
}
