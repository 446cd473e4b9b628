package dev.teal.proxy.session;

import static dev.teal.proxy.session.Fixtures.OTHER_SECRET;
import static dev.teal.proxy.session.Fixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.SessionSettings.KeyKind;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionKeysTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final InetSocketAddress PEER = new InetSocketAddress("203.0.113.9", 50000);

    private final SessionKeys keys = new SessionKeys(Fixtures.settings(KeyKind.APP_COOKIE), SECRET);

    @Test
    void hashesTheSameValueToTheSameKeyAndDifferentValuesApart() {
        SessionKey a = keys.appCookieKey(cookie("JSESSIONID=abc"));

        assertThat(keys.appCookieKey(cookie("x=1; JSESSIONID=abc; y=2"))).isEqualTo(a);
        assertThat(keys.appCookieKey(cookie("JSESSIONID=abd"))).isNotEqualTo(a);
        assertThat(new SessionKeys(Fixtures.settings(KeyKind.APP_COOKIE), OTHER_SECRET)
                        .appCookieKey(cookie("JSESSIONID=abc")))
                .isNotEqualTo(a);
    }

    @Test
    void keepsTheKindsOfKeyApartEvenForEqualValues() {
        HttpHeaders headers = cookie("JSESSIONID=abc").add("Authorization", "abc");

        assertThat(keys.headerKey(headers)).isNotNull().isNotEqualTo(keys.appCookieKey(headers));
    }

    @Test
    void hasNoKeyWhenTheValueIsAbsentOrEmpty() {
        assertThat(keys.appCookieKey(new DefaultHttpHeaders())).isNull();
        assertThat(keys.appCookieKey(cookie("JSESSIONID="))).isNull();
        assertThat(keys.appCookieKey(cookie("OTHER=abc"))).isNull();
        assertThat(keys.headerKey(new DefaultHttpHeaders())).isNull();
        assertThat(keys.headerKey(new DefaultHttpHeaders().add("Authorization", "")))
                .isNull();
    }

    @Test
    void takesTheFirstApplicationCookieWhenOnePerPathIsSent() {
        assertThat(keys.appCookieKey(cookie("JSESSIONID=specific; JSESSIONID=general")))
                .isEqualTo(keys.appCookieKey(cookie("JSESSIONID=specific")));
    }

    @Test
    void readsTheKeyOfTheConfiguredKind() {
        HttpHeaders headers = cookie("JSESSIONID=abc").add("Authorization", "Bearer t");
        record Row(KeyKind kind, SessionKey expected) {}
        List<Row> rows = List.of(
                new Row(KeyKind.COOKIE, null),
                new Row(KeyKind.APP_COOKIE, keys.appCookieKey(headers)),
                new Row(KeyKind.HEADER, keys.headerKey(headers)),
                new Row(KeyKind.SOURCE_ADDRESS, keys.addressKey(headers, PEER)));
        for (Row row : rows) {
            assertThat(new SessionKeys(Fixtures.settings(row.kind()), SECRET).requestKey(headers, PEER))
                    .as(row.kind().toString())
                    .isEqualTo(row.expected());
        }
    }

    @Test
    void readsTheAddressBehindATrustedProxyOnly() {
        SessionKeys behindProxy =
                new SessionKeys(Fixtures.settings(KeyKind.SOURCE_ADDRESS, List.of("10.0.0.0/8")), SECRET);
        HttpHeaders forwarded = new DefaultHttpHeaders().add("X-Forwarded-For", "198.51.100.1");
        SessionKey direct = behindProxy.addressKey(new DefaultHttpHeaders(), new InetSocketAddress("198.51.100.1", 1));

        assertThat(behindProxy.addressKey(forwarded, new InetSocketAddress("10.0.0.5", 2)))
                .isEqualTo(direct);
        assertThat(behindProxy.addressKey(forwarded, new InetSocketAddress("203.0.113.5", 2)))
                .isNotEqualTo(direct);
    }

    @Test
    void readsThePinCookieAndSpoilsItWhenSentTwice() {
        assertThat(keys.pinCookieValue(cookie("a=1; teal=xyz"))).isEqualTo("xyz");
        assertThat(keys.pinCookieValue(cookie("a=1"))).isNull();
        assertThat(keys.pinCookieValue(cookie("teal=xyz; teal=xyz"))).isEmpty();
    }

    @Test
    void seesTheApplicationSetOrExpireItsCookie() {
        record Row(List<String> setCookies, AppCookieChange.Kind kind, String value) {}
        List<Row> rows = List.of(
                new Row(List.of(), AppCookieChange.Kind.NONE, null),
                new Row(List.of("other=1"), AppCookieChange.Kind.NONE, null),
                new Row(List.of("JSESSIONID=new; Path=/; HttpOnly"), AppCookieChange.Kind.SET, "new"),
                new Row(List.of("JSESSIONID=; Max-Age=0"), AppCookieChange.Kind.EXPIRED, null),
                new Row(
                        List.of("JSESSIONID=old; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
                        AppCookieChange.Kind.EXPIRED,
                        null),
                // Several headers: the last one wins, as in a browser.
                new Row(List.of("JSESSIONID=; Max-Age=0", "JSESSIONID=new"), AppCookieChange.Kind.SET, "new"),
                new Row(List.of("JSESSIONID=new", "JSESSIONID=; Max-Age=0"), AppCookieChange.Kind.EXPIRED, null));
        for (Row row : rows) {
            HttpHeaders response = new DefaultHttpHeaders();
            row.setCookies().forEach(v -> response.add("Set-Cookie", v));

            AppCookieChange change = keys.appCookieChange(response, NOW);

            assertThat(change.kind()).as(row.setCookies().toString()).isEqualTo(row.kind());
            assertThat(change.key())
                    .as(row.setCookies().toString())
                    .isEqualTo(row.value() == null ? null : keys.appCookieKey(cookie("JSESSIONID=" + row.value())));
        }
    }

    @Test
    void drawsDistinctRandomSessionIds() {
        Set<SessionKey> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(keys.newSessionId());
        }
        assertThat(ids).hasSize(10_000);
    }

    private static HttpHeaders cookie(String value) {
        return new DefaultHttpHeaders().add("Cookie", value);
    }
}
