package dev.teal.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reports settings that reference.conf does not have ({@code teal.colrs}, a color {@code red}), so a
 * typo fails the load instead of silently leaving a default in place.
 *
 * <p>The operator's tree is walked along reference.conf's: every object of the reference lists the
 * keys allowed at its place. A list is a leaf of that walk: a section whose value is a list of objects
 * (the rollout's phases, say) has its reader check each element with {@link #reportUnknown}.
 */
final class KnownKeys {
    private static final Comparator<Map.Entry<String, ConfigValue>> IN_FILE_ORDER = Comparator.comparingInt(
                    (Map.Entry<String, ConfigValue> entry) ->
                            entry.getValue().origin().lineNumber())
            .thenComparing(Map.Entry::getKey);

    private final ConfigObject reference;

    /** @param reference the object in reference.conf, unresolved, that the walk starts from */
    KnownKeys(ConfigObject reference) {
        this.reference = requireNonNull(reference, "reference");
    }

    /** Reports every key under {@code given} (the operator's object at {@code path}) the reference lacks. */
    void check(String path, ConfigObject given, Problems problems) {
        walk(path, given, reference, problems);
    }

    private static void walk(String path, ConfigObject given, ConfigObject known, Problems problems) {
        reportUnknown(path, given, inFileOrder(known), problems);
        for (Map.Entry<String, ConfigValue> entry : sorted(given)) {
            // A value of another type than the reference's is the reader's to report, with its expectation.
            if (entry.getValue() instanceof ConfigObject && known.get(entry.getKey()) instanceof ConfigObject) {
                walk(
                        join(path, entry.getKey()),
                        (ConfigObject) entry.getValue(),
                        (ConfigObject) known.get(entry.getKey()),
                        problems);
            }
        }
    }

    /** Reports each key of {@code given} that is not one of {@code allowed} as an unknown setting. */
    static void reportUnknown(String path, ConfigObject given, Collection<String> allowed, Problems problems) {
        for (Map.Entry<String, ConfigValue> entry : sorted(given)) {
            if (!allowed.contains(entry.getKey())) {
                problems.add(join(path, entry.getKey()) + ": unknown setting (expected one of: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    private static List<String> inFileOrder(ConfigObject object) {
        return sorted(object).stream().map(Map.Entry::getKey).collect(Collectors.toList());
    }

    private static List<Map.Entry<String, ConfigValue>> sorted(ConfigObject object) {
        return object.entrySet().stream().sorted(IN_FILE_ORDER).collect(Collectors.toList());
    }

    private static String join(String path, String key) {
        // Quotes a key that needs it in a path, such as one with a dot: teal."a.b".
        return path + "." + ConfigUtil.joinPath(key);
    }
}
