package dev.teal.proxy.session;

import static dev.teal.proxy.session.Fixtures.IDLE;
import static dev.teal.proxy.session.Fixtures.OTHER_SECRET;
import static dev.teal.proxy.session.Fixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.teal.config.Color;
import dev.teal.config.SessionSettings.CookieSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CookieCodecTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final SessionKey ID = new SessionKey(0x0123456789abcdefL, 0xfedcba9876543210L);
    private static final PinCookie PIN = new PinCookie(ID, Color.GREEN, NOW.getEpochSecond());

    private final CookieCodec codec = Fixtures.codec(SECRET);

    @Test
    void roundTripsACompactUrlSafeValue() {
        String value = codec.encode(PIN);

        assertThat(value).hasSize(CookieCodec.ENCODED_LENGTH).matches("[A-Za-z0-9_-]+");
        assertThat(codec.verify(value, NOW)).isEqualTo(CookieVerdict.valid(PIN));
        assertThat(codec.verify(codec.encode(new PinCookie(ID, Color.BLUE, 0)), Instant.EPOCH)
                        .cookie()
                        .color())
                .isEqualTo(Color.BLUE);
    }

    @Test
    void rejectsEachKindOfBadCookieWithItsReason() {
        String good = codec.encode(PIN);
        record Row(String name, String value, Instant at, CookieRejection expected) {}
        List<Row> rows = List.of(
                new Row("empty", "", NOW, CookieRejection.MALFORMED),
                new Row("truncated", good.substring(0, 50), NOW, CookieRejection.MALFORMED),
                new Row("one character more", good + "A", NOW, CookieRejection.MALFORMED),
                new Row("oversized", "A".repeat(100_000), NOW, CookieRejection.MALFORMED),
                new Row("outside the alphabet", good.substring(0, 50) + "=", NOW, CookieRejection.MALFORMED),
                new Row(
                        "standard base64",
                        good.replace('-', '+').replace('_', '/') + "",
                        NOW,
                        good.matches(".*[-_].*") ? CookieRejection.MALFORMED : CookieRejection.MALFORMED),
                new Row("non-ASCII", good.substring(0, 50) + "é", NOW, CookieRejection.MALFORMED),
                new Row("unknown version", resign(good, 0, (byte) 2, SECRET), NOW, CookieRejection.MALFORMED),
                new Row("tampered id", flipBit(good, 5), NOW, CookieRejection.SIGNATURE),
                new Row("tampered tag", flipBit(good, 30), NOW, CookieRejection.SIGNATURE),
                new Row("color changed, not re-signed", setByte(good, 17, (byte) 1), NOW, CookieRejection.SIGNATURE),
                new Row(
                        "re-signed with a foreign secret",
                        resign(good, 17, (byte) 1, OTHER_SECRET),
                        NOW,
                        CookieRejection.SIGNATURE),
                new Row(
                        "from a foreign secret",
                        Fixtures.codec(OTHER_SECRET).encode(PIN),
                        NOW,
                        CookieRejection.SIGNATURE),
                new Row("unknown color", resign(good, 17, (byte) 7, SECRET), NOW, CookieRejection.COLOR),
                new Row("color zero", resign(good, 17, (byte) 0, SECRET), NOW, CookieRejection.COLOR),
                new Row("older than the idle timeout", good, NOW.plus(IDLE).plusSeconds(1), CookieRejection.EXPIRED),
                new Row(
                        "from the future",
                        good,
                        NOW.minusSeconds(CookieCodec.FUTURE_SKEW_SECONDS + 1),
                        CookieRejection.FUTURE));
        for (Row row : rows) {
            CookieVerdict verdict = codec.verify(row.value(), row.at());
            assertThat(verdict.isValid()).as(row.name()).isFalse();
            assertThat(verdict.rejection()).as(row.name()).isEqualTo(row.expected());
        }
    }

    @Test
    void acceptsTheEdgesOfTheValidityWindow() {
        String good = codec.encode(PIN);

        assertThat(codec.verify(good, NOW.plus(IDLE)).isValid()).isTrue();
        assertThat(codec.verify(good, NOW.minusSeconds(CookieCodec.FUTURE_SKEW_SECONDS))
                        .isValid())
                .isTrue();
    }

    @Test
    void keepsWhatAnExpiredCookieSaidSinceItIsAuthentic() {
        CookieVerdict verdict = codec.verify(codec.encode(PIN), NOW.plus(IDLE).plusSeconds(1));

        assertThat(verdict.rejection()).isEqualTo(CookieRejection.EXPIRED);
        assertThat(verdict.cookie()).isEqualTo(PIN);
    }

    @Test
    void refusesANonCanonicalLastCharacter() {
        String good = codec.encode(PIN);
        char last = good.charAt(good.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // Same decoded bytes, different spelling: the two spare bits set.
        char spelledDifferently = alphabet.charAt(alphabet.indexOf(last) | 1);

        assertThat(codec.verify(good.substring(0, 50) + spelledDifferently, NOW).rejection())
                .isEqualTo(CookieRejection.MALFORMED);
    }

    @Test
    void verifiesWithEveryListedSecretButSignsWithTheFirst() {
        String fromOldSecret = Fixtures.codec(OTHER_SECRET).encode(PIN);
        CookieCodec rotated = Fixtures.codec(SECRET, OTHER_SECRET);

        assertThat(rotated.verify(fromOldSecret, NOW).isValid()).isTrue();
        assertThat(rotated.encode(PIN)).isEqualTo(codec.encode(PIN));
        assertThat(Fixtures.codec(OTHER_SECRET).verify(rotated.encode(PIN), NOW).rejection())
                .isEqualTo(CookieRejection.SIGNATURE);
    }

    @Test
    void reissuesOnlyOnceTheTimestampIsAMinuteOld() {
        assertThat(codec.needsReissue(PIN, NOW.plusSeconds(59))).isFalse();
        assertThat(codec.needsReissue(PIN, NOW.plusSeconds(60))).isTrue();
    }

    @Test
    void buildsSetCookieWithTheAttributesAsked() {
        String value = codec.encode(PIN);
        CookieCodec always = new CookieCodec(
                new CookieSettings("pin", List.of(), CookieSettings.Secure.ALWAYS, Optional.of(Duration.ofHours(8))),
                List.of(SECRET),
                IDLE);
        CookieCodec never = new CookieCodec(
                new CookieSettings("teal", List.of(), CookieSettings.Secure.NEVER, Optional.empty()),
                List.of(SECRET),
                IDLE);

        assertThat(codec.setCookie(PIN, false)).isEqualTo("teal=" + value + "; Path=/; HttpOnly; SameSite=Lax");
        assertThat(codec.setCookie(PIN, true)).isEqualTo("teal=" + value + "; Path=/; HttpOnly; SameSite=Lax; Secure");
        assertThat(always.setCookie(PIN, false))
                .isEqualTo("pin=" + value + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=28800; Secure");
        assertThat(never.setCookie(PIN, true)).doesNotContain("Secure");
        assertThat(codec.clearCookie(true)).isEqualTo("teal=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
    }

    @Test
    void neverPutsCrLfOrASemicolonInTheValue() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            PinCookie pin = new PinCookie(
                    new SessionKey(random.nextLong(), random.nextLong()),
                    random.nextBoolean() ? Color.BLUE : Color.GREEN,
                    random.nextLong(PinCookie.MAX_ISSUED_AT + 1));
            assertThat(codec.encode(pin)).matches("[A-Za-z0-9_-]{51}");
        }
    }

    @Test
    void refusesACookieNameThatIsNotAToken() {
        for (String name : List.of("", "te al", "teal;", "te\r\nal", "té")) {
            assertThatThrownBy(() -> new CookieCodec(
                            new CookieSettings(name, List.of(), CookieSettings.Secure.AUTO, Optional.empty()),
                            List.of(SECRET),
                            IDLE))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("sessions.cookie.name: '" + name + "'");
        }
    }

    @Test
    void neverThrowsAndNeverAcceptsRandomStrings() {
        SplittableRandom random = new SplittableRandom(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 200_000; i++) {
            int length = i % 4 == 0 ? CookieCodec.ENCODED_LENGTH : random.nextInt(120);
            StringBuilder s = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                s.append(
                        i % 2 == 0
                                ? alphabet.charAt(random.nextInt(alphabet.length()))
                                : (char) random.nextInt(0x2000));
            }
            if (codec.verify(s, NOW).isValid()) {
                fail("accepted a random string: " + s);
            }
        }
    }

    @Test
    void rejectsEveryMutationOfAValidCookie() {
        byte[] raw = Base64.getUrlDecoder().decode(codec.encode(PIN));
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 50_000; i++) {
            byte[] mutated = raw.clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                mutated[random.nextInt(mutated.length)] ^= (byte) (1 + random.nextInt(255));
            }
            if (java.util.Arrays.equals(mutated, raw)) {
                continue;
            }
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(mutated);
            CookieRejection rejection = codec.verify(value, NOW).rejection();
            if (rejection != CookieRejection.MALFORMED && rejection != CookieRejection.SIGNATURE) {
                fail("mutation " + value + ": " + rejection + " (expected: malformed or signature)");
            }
        }
    }

    @Test
    void verifiesConcurrentlyFromManyThreads() throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            values.add(codec.encode(new PinCookie(new SessionKey(i, -i), Color.BLUE, NOW.getEpochSecond())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Long>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    long valid = 0;
                    for (int i = 0; i < 20_000; i++) {
                        String v = values.get(i % values.size());
                        if (codec.verify(v, NOW).cookie().id().hi() == i % values.size()) {
                            valid++;
                        }
                    }
                    return valid;
                });
            }
            for (Future<Long> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isEqualTo(20_000L);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Decodes, sets one payload byte, signs with {@code secret} and encodes. */
    private static String resign(String value, int index, byte b, byte[] secret) {
        byte[] raw = Base64.getUrlDecoder().decode(value);
        raw[index] = b;
        return Fixtures.codec(secret).sign(raw);
    }

    private static String setByte(String value, int index, byte b) {
        byte[] raw = Base64.getUrlDecoder().decode(value);
        raw[index] = b;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String flipBit(String value, int byteIndex) {
        byte[] raw = Base64.getUrlDecoder().decode(value);
        raw[byteIndex] ^= 1;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
