package dev.teal.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.session.SetCookies.Effect;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetCookiesTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void tellsALogoutFromASessionBeingSet() {
        record Row(String header, Effect expected) {}
        List<Row> rows = List.of(
                new Row("JSESSIONID=abc; Path=/; HttpOnly", Effect.SET),
                new Row("JSESSIONID=\"abc\"", Effect.SET),
                new Row("JSESSIONID=abc; Max-Age=3600", Effect.SET),
                new Row("JSESSIONID=abc; Expires=Sat, 21 Nov 2026 10:00:01 GMT", Effect.SET),
                new Row("JSESSIONID=; Max-Age=0", Effect.EXPIRED),
                new Row("JSESSIONID=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT", Effect.EXPIRED),
                new Row("JSESSIONID=abc; Max-Age=0", Effect.EXPIRED),
                new Row("JSESSIONID=abc; max-age=-1", Effect.EXPIRED),
                new Row("JSESSIONID=abc; Expires=Sat, 21 Nov 2026 10:00:00 GMT", Effect.EXPIRED),
                new Row("JSESSIONID=abc; Expires=Sat, 21-Nov-2026 09:59:59 GMT", Effect.EXPIRED),
                new Row("JSESSIONID=", Effect.EXPIRED),
                new Row("JSESSIONID=\"\"; Path=/", Effect.EXPIRED),
                // Max-Age wins over Expires, as in browsers.
                new Row("JSESSIONID=abc; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT", Effect.SET),
                new Row("JSESSIONID=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60", Effect.SET),
                // Unparsable attributes are ignored (RFC 6265 section 5.2).
                new Row("JSESSIONID=abc; Max-Age=soon", Effect.SET),
                new Row("JSESSIONID=abc; Expires=yesterday", Effect.SET),
                new Row("JSESSIONID=abc; Max-Age=99999999999999999999999", Effect.SET),
                new Row("OTHER=x; Max-Age=0", Effect.OTHER),
                new Row("JSESSIONIDX=abc", Effect.OTHER),
                new Row("XJSESSIONID=abc", Effect.OTHER),
                new Row("garbage", Effect.OTHER),
                new Row("", Effect.OTHER));
        for (Row row : rows) {
            assertThat(SetCookies.effect(row.header(), "JSESSIONID", NOW))
                    .as(row.header())
                    .isEqualTo(row.expected());
        }
    }
}
