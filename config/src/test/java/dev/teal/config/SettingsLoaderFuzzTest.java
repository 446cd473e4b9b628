package dev.teal.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random HOCON through the real loader: every known setting and some unknown ones, set to values of every
 * type (durations, sizes, lists, objects, substitutions, nonsense), with random environments, and the same
 * texts with bytes edited into syntax errors. The loader either returns settings or throws {@link
 * InvalidSettingsException} with problems that say something; no other exception ever escapes.
 */
class SettingsLoaderFuzzTest {
    /** Every setting reference.conf has, by its full path, with its default as HOCON. */
    private static final Map<String, String> DEFAULTS = ConfigFactory.parseResources("reference.conf")
            .resolve(com.typesafe.config.ConfigResolveOptions.defaults().setAllowUnresolved(true))
            .entrySet()
            .stream()
            .collect(java.util.stream.Collectors.toMap(
                    Map.Entry::getKey,
                    e -> e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()),
                    (a, b) -> a,
                    java.util.TreeMap::new));

    private static final List<String> KNOWN = List.copyOf(DEFAULTS.keySet());

    @Property
    void loadsOrListsItsProblemsForAnyText(
            @ForAll("texts") String hocon, @ForAll("environments") Map<String, String> env) {
        try {
            TealSettings settings = SettingsLoader.parse(hocon, env);
            assertThat(settings).isNotNull();
            Statistics.label("outcome").collect("valid");
        } catch (InvalidSettingsException e) {
            Statistics.label("outcome").collect("invalid");
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
            assertThat(e.getMessage()).startsWith("invalid settings (");
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(Tuple.of(3, defaults()), Tuple.of(5, assignments()), Tuple.of(2, edited()));
    }

    @Provide
    Arbitrary<Map<String, String>> environments() {
        Arbitrary<String> name = Arbitraries.of(
                "TEAL_LISTEN",
                "TEAL_ADMIN_LISTEN",
                "TEAL_ADMIN_TOKEN",
                "TEAL_STATE_DIR",
                "TEAL_COOKIE_SECRET",
                "DB_PASSWORD",
                "HOME",
                "X");
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Map.of())),
                Tuple.of(
                        1,
                        Arbitraries.maps(name, values().map(v -> v.replace("\"", "")))
                                .ofMaxSize(3)));
    }

    /** A valid minimal file plus known settings at their defaults, in any order: these should all load. */
    private static Arbitrary<String> defaults() {
        return Arbitraries.of(KNOWN)
                .filter(k -> !k.endsWith(".backends"))
                .map(k -> k + " = " + DEFAULTS.get(k))
                .list()
                .ofMaxSize(12)
                .map(lines -> "teal.colors.blue.backends = [\"10.0.0.1:8080\"]\n"
                        + "teal.colors.green.backends = [\"10.0.0.2:8080\"]\n" + String.join("\n", lines));
    }

    /** A valid minimal file plus a few random settings. */
    private static Arbitrary<String> assignments() {
        Arbitrary<String> key = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(KNOWN)),
                Tuple.of(
                        1,
                        Arbitraries.strings()
                                .alpha()
                                .ofMinLength(1)
                                .ofMaxLength(8)
                                .map(k -> "teal." + k)),
                Tuple.of(1, Arbitraries.of("teal", "teal.colors", "teal.limits", "teal.rollout.phases", "other.key")));
        Arbitrary<String> random = Combinators.combine(key, Arbitraries.of(" = ", ": ", " += ", " "), values())
                .as((k, sep, v) -> k + sep + v);
        // A known setting at its default: keeps most files valid, so the valid path is fuzzed too.
        Arbitrary<String> plausible = Arbitraries.of(KNOWN).map(k -> k + " = " + DEFAULTS.get(k));
        Arbitrary<String> line = Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(1, plausible));
        return line.list().ofMaxSize(8).map(lines -> {
            List<String> all = new ArrayList<>(List.of(
                    "teal.colors.blue.backends = [\"10.0.0.1:8080\"]",
                    "teal.colors.green.backends = [\"10.0.0.2:8080\"]"));
            all.addAll(lines);
            return String.join("\n", all);
        });
    }

    /** Files that start valid and get a few bytes inserted, deleted or replaced. */
    private static Arbitrary<String> edited() {
        Arbitrary<String> base = Arbitraries.of(
                TestSettings.MINIMAL,
                "teal { colors { blue.backends = [\"a:1\"], green.backends = [\"b:2\"] }, limits.max-body-size = 1MiB }",
                "teal.rollout.phases = [{ name = expand, trigger = before-new, command = [\"true\"] }]\n"
                        + "teal.colors.blue.backends = [\"a:1\"]\nteal.colors.green.backends = [\"b:2\"]");
        Arbitrary<String> insert = Arbitraries.of(
                "{",
                "}",
                "[",
                "]",
                "\"",
                "=",
                ":",
                ",",
                "\n",
                "${",
                "${?X}",
                "${teal.listen}",
                "include \"x.conf\"",
                "#",
                "//",
                "\\",
                "\u0000",
                "é",
                "-",
                "0",
                "s",
                "MiB",
                "null",
                "true",
                ".");
        return Combinators.combine(
                        base,
                        Arbitraries.doubles().between(0, 1).list().ofMinSize(1).ofMaxSize(3),
                        insert.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.integers().between(0, 3))
                .as((text, where, what, delete) -> {
                    String s = text;
                    for (int i = 0; i < where.size(); i++) {
                        int at = (int) (where.get(i) * s.length());
                        int end = Math.min(s.length(), at + delete);
                        s = s.substring(0, at) + what.get(i % what.size()) + s.substring(end);
                    }
                    return s;
                });
    }

    private static Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-2, 70000).map(String::valueOf)),
                Tuple.of(
                        3,
                        Arbitraries.of(
                                "10s",
                                "500ms",
                                "-5s",
                                "0s",
                                "1.5h",
                                "2 minutes",
                                "8KiB",
                                "100MiB",
                                "1.5GB",
                                "-1KiB",
                                "off",
                                "on",
                                "true",
                                "false",
                                "yes",
                                "null",
                                "\"\"",
                                "\"127.0.0.1:8080\"",
                                "\"[::1]:80\"",
                                "\"0.0.0.0:0\"",
                                "\"http://10.0.0.1:80\"",
                                "\"https://b:443\"",
                                "[]",
                                "[\"a:1\", \"a:1\"]",
                                "[1, 2]",
                                "{}",
                                "{ path = \"/h\" }",
                                "cookie",
                                "app-cookie",
                                "header",
                                "source-address",
                                "epoll",
                                "nio",
                                "auto",
                                "always",
                                "never",
                                "\"before-new\"",
                                "\"after 50\"",
                                "\"jdbc:h2:mem:x\"",
                                "\"jdbc:nope:x\"",
                                "${?TEAL_LISTEN}",
                                "${teal.listen}",
                                "${NOPE}",
                                "[\"10.0.0.0/8\", \"::/0\", \"1.2.3.4/40\"]",
                                "\"x\" \"y\"",
                                "1e309",
                                "9223372036854775808",
                                "0x10")),
                Tuple.of(
                        2,
                        Arbitraries.strings()
                                .withCharRange(' ', '~')
                                .withChars("é中\t")
                                .ofMaxLength(20)
                                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")));
    }
}
