package dev.teal.admin.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.RawHttp;
import dev.teal.proxy.testing.LeakCheckExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzing {@code /ramp}'s parameters over real HTTP: random names, values, encodings (broken ones too) and
 * separators. Every answer is 200 or a 4xx in the API's one error shape, never a 5xx; a refused call leaves
 * the stored state and the data plane exactly as they were, and an accepted one leaves them agreeing.
 */
class RampParametersFuzzIT {
    private static Path dir;
    private static AdminHarness admin;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("teal-ramp-fuzz-");
        admin = AdminHarness.start(dir);
    }

    @AfterContainer
    static void stop() throws IOException {
        admin.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
        LeakCheckExtension.assertNoLeaks(RampParametersFuzzIT.class.getSimpleName());
    }

    @Property
    void answersEveryQueryWithTheNewStateOrA4xxThatChangesNothing(
            @ForAll("methods") String method, @ForAll("queries") String query) {
        byte[] stored = stored();
        List<String> calls = admin.control().calls();

        RawHttp.Response r = RawHttp.exchange(
                admin.server().localAddress(),
                method + " /ramp?" + query + " HTTP/1.1\nHost: 127.0.0.1:"
                        + admin.server().localAddress().getPort() + "\nContent-Length: 0\nConnection: close\n\n");

        Statistics.label("status").collect(r.status());
        assertThat(r.status())
                .as("answer to %s %s: %s", method, query, r.body())
                .isIn(200, 400, 405, 409);
        if (method.equals("HEAD")) {
            // An answer to HEAD has no body to check; the state must not move all the same.
            assertThat(stored()).isEqualTo(stored);
            return;
        }
        JsonNode body = AdminHarness.json(r.body());
        if (r.status() == 200) {
            int green = body.path("split").path("green").asInt(-1);
            assertThat(green).isBetween(0, 100);
            if (body.path("applied").asBoolean()) {
                assertThat(admin.control().split().green()).isEqualTo(green);
                assertThat(AdminHarness.json(new String(stored(), StandardCharsets.UTF_8))
                                .path("split")
                                .path("green")
                                .asInt())
                        .isEqualTo(green);
            }
        } else {
            assertThat(body.path("error").asString()).isNotEmpty();
            assertThat(body.path("detail").asString()).isNotEmpty();
            assertThat(stored()).as("state file after a refused %s", query).isEqualTo(stored);
            assertThat(admin.control().calls()).isEqualTo(calls);
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.of("GET", "POST")), Tuple.of(1, Arbitraries.of("PUT", "DELETE", "HEAD")));
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of("green", "blue", "dry-run", "force", "next-release")),
                Tuple.of(1, Arbitraries.of("Green", "green ", "gr%65en", "colour", "", "green[]", "%00")),
                Tuple.of(1, text()));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(-5, 105).map(String::valueOf)),
                Tuple.of(3, Arbitraries.of("true", "false", "0", "100", "", "TRUE", "yes", "+5", "05", "1e2", "0x10")),
                Tuple.of(
                        1,
                        Arbitraries.of("99999999999", "-0", "%35%30", "%", "%4", "%zz", "%e2%82", "5%00", "5%0d%0aX")),
                Tuple.of(2, text()));
        Arbitrary<String> pair = Arbitraries.frequencyOf(
                Tuple.of(8, Combinators.combine(name, value).as((n, v) -> n + "=" + v)),
                Tuple.of(1, name),
                Tuple.of(1, Combinators.combine(name, value).as((n, v) -> n + "=" + v + "=" + v)));
        Arbitrary<String> valid = Combinators.combine(
                        Arbitraries.of("green", "blue"),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.of("", "&dry-run=true", "&dry-run=false", "&force=true", "&force=false"))
                .as((n, v, extra) -> n + "=" + v + extra);
        return Arbitraries.frequencyOf(
                Tuple.of(3, valid), Tuple.of(7, pair.list().ofMaxSize(5).map(pairs -> String.join("&", pairs))));
    }

    /** Arbitrary characters, percent-encoded as a client would (and '&', '=' left in now and then). */
    private static Arbitrary<String> text() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u00ff')
                .withChars("&=;+#/?中é")
                .ofMaxLength(12)
                .map(RampParametersFuzzIT::encode);
    }

    private static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~&=;".indexOf(c) >= 0;
            b.append(plain ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        return b.toString();
    }

    private static byte[] stored() {
        try {
            Path file = admin.stateFile();
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
