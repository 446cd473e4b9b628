package dev.teal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CookieJarTest {
    @Test
    void anEmptyJarSendsNoCookieHeader() {
        assertThat(new CookieJar().header()).isNull();
    }

    @Test
    void sendsBackWhatItWasSetWithoutTheAttributes() {
        CookieJar jar = new CookieJar();
        jar.store(List.of("teal=v1.abc; Path=/; HttpOnly; SameSite=Lax", "BG=blue; path=/"));
        assertThat(jar.header()).isEqualTo("teal=v1.abc; BG=blue");
    }

    @Test
    void aLaterSetCookieOfTheSameNameReplacesTheValue() {
        CookieJar jar = new CookieJar();
        jar.store(List.of("teal=old", "other=1"));
        jar.store(List.of("teal=new"));
        assertThat(jar.header()).isEqualTo("teal=new; other=1");
        assertThat(jar.size()).isEqualTo(2);
    }

    @Test
    void maxAgeZeroRemovesTheCookie() {
        CookieJar jar = new CookieJar();
        jar.store(List.of("teal=abc", "JSESSIONID=x"));
        jar.store(List.of("teal=; Max-Age=0"));
        assertThat(jar.header()).isEqualTo("JSESSIONID=x");
        jar.store(List.of("JSESSIONID=; Max-Age=0"));
        assertThat(jar.header()).isNull();
    }

    @Test
    void aFieldThatIsNoCookieIsIgnored() {
        CookieJar jar = new CookieJar();
        jar.store(List.of("teal=abc"));
        jar.store(List.of("no equals sign", ""));
        assertThat(jar.header()).isEqualTo("teal=abc");
    }

    @Test
    void theSameValueAgainKeepsTheBuiltHeader() {
        CookieJar jar = new CookieJar();
        jar.store(List.of("bg=blue; Path=/"));
        String first = jar.header();
        jar.store(List.of("bg=blue; Path=/"));
        assertThat(jar.header()).isSameAs(first);
    }
}
