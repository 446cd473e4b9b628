package dev.teal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One object of the resolved settings tree, such as {@code teal.timeouts}, with typed reads.
 *
 * <p>A read that fails records a problem (path, value, what was expected) and returns null instead of
 * throwing, so that one load reports every problem; {@link #build} then makes a record only when no
 * read since this node was made has failed, so a null never reaches a record. A node whose value is not
 * an object is reported once, when it is made, and its reads return null without further noise.
 */
final class SettingsNode {
    /** Origins of values that came from the environment start with this; problems then say so. */
    static final String ENVIRONMENT_ORIGIN = "environment variable";

    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();
    private static final String DURATION = "a positive duration such as 3s";

    private final ConfigObject object; // null when the value at path is not an object
    private final String path;
    private final Problems problems;
    private final int mark;

    private SettingsNode(ConfigObject object, String path, Problems problems) {
        this.object = object;
        this.path = path;
        this.problems = problems;
        this.mark = problems.count();
    }

    /** The node at a top-level key of the settings, such as {@code teal}. */
    static SettingsNode root(Config settings, String key, Problems problems) {
        return at(settings.root(), key, key, problems);
    }

    SettingsNode child(String key) {
        return object == null ? new SettingsNode(null, path(key), problems) : at(object, key, path(key), problems);
    }

    private static SettingsNode at(ConfigObject parent, String key, String path, Problems problems) {
        ConfigValue value = parent.get(key);
        if (value instanceof ConfigObject) {
            return new SettingsNode((ConfigObject) value, path, problems);
        }
        problems.add(path, value == null ? "missing" : shown(value), "an object of settings: { ... }");
        return new SettingsNode(null, path, problems);
    }

    /**
     * The node of an element of a list, such as {@code teal.rollout.phases[0]}; a value that is not an
     * object is reported once, with {@code expected}.
     */
    static SettingsNode element(ConfigValue value, String path, Problems problems, String expected) {
        if (value instanceof ConfigObject) {
            return new SettingsNode((ConfigObject) value, path, problems);
        }
        problems.add(path, shown(value), expected);
        return new SettingsNode(null, path, problems);
    }

    String path() {
        return path;
    }

    /** Where this node's reads report, for the nodes of list elements under it. */
    Problems problems() {
        return problems;
    }

    /** Whether the key is set (to anything but null). */
    boolean has(String key) {
        return object != null && object.get(key) != null && object.get(key).valueType() != ConfigValueType.NULL;
    }

    /**
     * Reports every key of this object that is not one of {@code allowed}: the check reference.conf
     * cannot do for objects inside lists.
     */
    void reportUnknown(Collection<String> allowed) {
        if (object != null) {
            KnownKeys.reportUnknown(path, object, allowed, problems);
        }
    }

    /** The entries of this object, in the order of the file. */
    List<Map.Entry<String, ConfigValue>> entries() {
        if (object == null) {
            return List.of();
        }
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(object.entrySet());
        entries.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) ->
                        e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey));
        return entries;
    }

    /**
     * Makes the record of this node, unless a read of it or of its children failed (then null: the
     * failure is already reported). The record's own checks are the safety net: what they refuse is
     * reported under this node's path too.
     */
    <T> T build(Supplier<T> constructor) {
        if (object == null || problems.count() > mark) {
            return null;
        }
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage());
            return null;
        }
    }

    /** Reports a problem with the setting at {@code key} (which may carry an index: {@code backends[2]}). */
    void problem(String key, String value, String expected) {
        problems.add(path(key), value, expected);
    }

    /** A scalar (string, number or boolean) as text. */
    String text(String key, String expected) {
        ConfigValue value = present(key, expected);
        if (value == null) {
            return null;
        }
        String text = text(value);
        if (text == null) {
            problem(key, shown(value), expected);
        }
        return text;
    }

    /** A scalar turned into a value by a parser that throws {@link UnexpectedValueException}. */
    <T> T parsed(String key, Function<String, T> parser, String expected) {
        ConfigValue value = present(key, expected);
        if (value == null) {
            return null;
        }
        String text = text(value);
        if (text == null) {
            problem(key, shown(value), expected);
            return null;
        }
        try {
            return parser.apply(text);
        } catch (UnexpectedValueException e) {
            problem(key, shown(value), e.expected());
            return null;
        }
    }

    HostPort hostPort(String key) {
        return parsed(key, HostPort::parse, "host:port, such as 0.0.0.0:8080");
    }

    Duration positiveDuration(String key) {
        ConfigValue value = present(key, DURATION);
        if (value == null) {
            return null;
        }
        Duration duration = positiveDuration(value);
        if (duration == null) {
            problem(key, raw(value), DURATION);
        }
        return duration;
    }

    /** A positive duration, or {@code off} (and null, the value HOCON has for "unset") for none. */
    Optional<Duration> positiveDurationOrOff(String key) {
        if (object == null) {
            return null;
        }
        ConfigValue value = object.get(key);
        if (value == null || value.valueType() == ConfigValueType.NULL || "off".equals(value.unwrapped())) {
            return Optional.empty();
        }
        Duration duration = positiveDuration(value);
        if (duration == null) {
            problem(key, raw(value), DURATION + ", or off");
            return null;
        }
        return Optional.of(duration);
    }

    private static Duration positiveDuration(ConfigValue value) {
        // A bare number would be read as milliseconds: a unit is required so that 5 never means 5ms.
        if (value.valueType() != ConfigValueType.STRING) {
            return null;
        }
        String text = ((String) value.unwrapped()).trim();
        if (text.isEmpty() || !Character.isLetter(text.charAt(text.length() - 1))) {
            return null;
        }
        try {
            Duration duration = value.atKey("v").getDuration("v");
            return duration.isNegative() || duration.isZero() ? null : duration;
        } catch (ConfigException e) {
            return null;
        }
    }

    /** A size in bytes ({@code 8KiB}, {@code 100MiB}, or a bare number of bytes) within [min, max]. */
    Long size(String key, long min, long max, String expected) {
        ConfigValue value = present(key, expected);
        if (value == null) {
            return null;
        }
        Long bytes = null;
        if (value.valueType() == ConfigValueType.NUMBER) {
            bytes = integral(value);
        } else if (value.valueType() == ConfigValueType.STRING) {
            try {
                bytes = value.atKey("v").getBytes("v");
            } catch (ConfigException e) {
                bytes = null;
            }
        }
        if (bytes == null || bytes < min || bytes > max) {
            problem(key, raw(value), expected);
            return null;
        }
        return bytes;
    }

    /** An integer within [min, max]; a fraction such as 2.5 is refused, not truncated. */
    Integer integer(String key, int min, int max, String expected) {
        ConfigValue value = present(key, expected);
        if (value == null) {
            return null;
        }
        Long number = integral(value);
        if (number == null || number < min || number > max) {
            problem(key, shown(value), expected);
            return null;
        }
        return number.intValue();
    }

    private static Long integral(ConfigValue value) {
        if (value.valueType() == ConfigValueType.NUMBER) {
            Object number = value.unwrapped();
            return number instanceof Integer || number instanceof Long ? ((Number) number).longValue() : null;
        }
        if (value.valueType() == ConfigValueType.STRING) {
            // Values substituted from environment variables are strings.
            String text = ((String) value.unwrapped()).trim();
            return text.matches("-?[0-9]{1,18}") ? Long.parseLong(text) : null;
        }
        return null;
    }

    Boolean bool(String key) {
        String expected = "true or false";
        ConfigValue value = present(key, expected);
        if (value == null) {
            return null;
        }
        Boolean result = null;
        if (value.valueType() == ConfigValueType.BOOLEAN || value.valueType() == ConfigValueType.STRING) {
            try {
                result = value.atKey("v").getBoolean("v");
            } catch (ConfigException e) {
                result = null;
            }
        }
        if (result == null) {
            problem(key, shown(value), expected);
        }
        return result;
    }

    /** One of an enum's constants, written in lower case with '-' for '_' ({@code source-address}). */
    <E extends Enum<E>> E oneOf(String key, Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(configName(constant));
        }
        ConfigValue value = present(key, "one of " + String.join(", ", names));
        if (value == null) {
            return null;
        }
        if (value.valueType() == ConfigValueType.STRING) {
            for (E constant : type.getEnumConstants()) {
                if (configName(constant).equals(value.unwrapped())) {
                    return constant;
                }
            }
        }
        problems.addOneOf(path(key), shown(value), names);
        return null;
    }

    static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The elements of a list; each is then checked by the caller. */
    List<ConfigValue> list(String key, String expected) {
        ConfigValue value = present(key, expected);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ConfigList)) {
            problem(key, shown(value), expected);
            return null;
        }
        return List.copyOf((ConfigList) value);
    }

    /** A value that may be absent (or null): empty then. */
    Optional<ConfigValue> optional(String key) {
        if (object == null) {
            return null;
        }
        ConfigValue value = object.get(key);
        return value == null || value.valueType() == ConfigValueType.NULL ? Optional.empty() : Optional.of(value);
    }

    /** The value at key as {@link #raw} shows it, for problems that involve two settings. */
    String rawAt(String key) {
        ConfigValue value = object == null ? null : object.get(key);
        return value == null ? "missing" : raw(value);
    }

    private ConfigValue present(String key, String expected) {
        if (object == null) {
            return null;
        }
        ConfigValue value = object.get(key);
        if (value == null || value.valueType() == ConfigValueType.NULL) {
            problem(key, value == null ? "missing" : "null", expected);
            return null;
        }
        return value;
    }

    private String path(String key) {
        return path + "." + key;
    }

    /** A scalar as text, the way Typesafe Config converts numbers and booleans; null for anything else. */
    static String text(ConfigValue value) {
        switch (value.valueType()) {
            case STRING:
            case NUMBER:
            case BOOLEAN:
                return value.atKey("v").getString("v");
            default:
                return null;
        }
    }

    /** The value as HOCON writes it, strings quoted: {@code "0.0.0.0:http"}, {@code 140}, {@code []}. */
    static String shown(ConfigValue value) {
        return value.render(CONCISE) + source(value);
    }

    /** Like {@link #shown}, but a string unquoted, as durations and sizes are written: {@code -5s}. */
    static String raw(ConfigValue value) {
        String text = value.valueType() == ConfigValueType.STRING ? (String) value.unwrapped() : value.render(CONCISE);
        return text + source(value);
    }

    /** A secret: never the value, only its length, so that problems can be logged. */
    static String hidden(ConfigValue value) {
        String text = text(value);
        String shape = text == null
                ? "(hidden " + value.valueType().name().toLowerCase(Locale.ROOT) + ")"
                : "(hidden, " + text.length() + " characters)";
        return shape + source(value);
    }

    private static String source(ConfigValue value) {
        String origin = value.origin().description();
        return origin.startsWith(ENVIRONMENT_ORIGIN) ? " from " + origin : "";
    }
}
