package dev.teal.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CookieHeadersTest {
    @Test
    void findsOneCookieAmongOthers() {
        record Row(List<String> headers, String expected) {}
        List<Row> rows = Arrays.asList(
                new Row(List.of("teal=abc"), "abc"),
                new Row(List.of("a=1; teal=abc; b=2"), "abc"),
                new Row(List.of("a=1;teal=abc;b=2"), "abc"),
                new Row(List.of("a=1;  \tteal = abc \t; b=2"), "abc"),
                new Row(List.of("teal=\"abc\""), "abc"),
                new Row(List.of("teal="), ""),
                new Row(List.of("a=1", "teal=abc"), "abc"),
                new Row(List.of("tealx=1; xteal=2; Teal=3"), null),
                new Row(List.of("teal"), null),
                new Row(List.of(""), null),
                new Row(List.of(";;;"), null),
                new Row(List.of(), null));
        for (Row row : rows) {
            assertThat(CookieHeaders.value(row.headers(), "teal"))
                    .as(row.headers().toString())
                    .isEqualTo(row.expected());
        }
    }

    @Test
    void flagsACookieSentTwice() {
        assertThat(CookieHeaders.value(List.of("teal=a; teal=b"), "teal")).isSameAs(CookieHeaders.DUPLICATE);
        assertThat(CookieHeaders.value(List.of("teal=a", "x=1; teal=a"), "teal"))
                .isSameAs(CookieHeaders.DUPLICATE);
    }
}
