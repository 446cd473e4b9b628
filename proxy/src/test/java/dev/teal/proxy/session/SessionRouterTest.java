package dev.teal.proxy.session;

import static dev.teal.proxy.session.Fixtures.IDLE;
import static dev.teal.proxy.session.Fixtures.OTHER_SECRET;
import static dev.teal.proxy.session.Fixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Color;
import dev.teal.config.SessionSettings.KeyKind;
import dev.teal.proxy.Split;
import dev.teal.proxy.session.Fixtures.CountingEvents;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SessionRouterTest {
    private final ManualTime time = new ManualTime();
    private final CountingEvents events = new CountingEvents();
    private SessionTable table = Fixtures.table(time, events);
    private SessionRouter router = router(KeyKind.COOKIE, table, SECRET);

    @Test
    void sendsAQuarterOfNewSessionsToGreenAtSplit25() {
        int green = 0;
        for (int i = 0; i < 4_000; i++) {
            if (new Browser().get(new Split(25)) == Color.GREEN) {
                green++;
            }
        }
        assertThat(green / 4_000.0).isBetween(0.22, 0.28);
        assertThat(table.activeSessions(Color.GREEN)).isEqualTo(green);
    }

    @Test
    void keepsEverySessionOnItsColorWhileTheSplitMoves() {
        List<Browser> browsers = new ArrayList<>();
        Map<Browser, Color> pinned = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            Browser b = new Browser();
            pinned.put(b, b.get(new Split(25)));
            browsers.add(b);
        }
        for (int green : new int[] {0, 25, 100, 0, 100}) {
            time.advance(Duration.ofMinutes(2));
            for (Browser b : browsers) {
                assertThat(b.get(new Split(green))).as("split %d", green).isEqualTo(pinned.get(b));
            }
        }
        assertThat(pinned.values()).contains(Color.BLUE, Color.GREEN);
        assertThat(events.rejections(CookieRejection.SIGNATURE)).isZero();
    }

    @Test
    void atHundredPercentBlueServesItsPinnedSessionsAndGetsNoNewOne() {
        Browser onBlue = new Browser();
        assertThat(onBlue.get(new Split(0))).isEqualTo(Color.BLUE);

        List<Color> fresh = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fresh.add(new Browser().get(new Split(100)));
        }

        assertThat(fresh).containsOnly(Color.GREEN);
        assertThat(onBlue.get(new Split(100))).isEqualTo(Color.BLUE);
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(1);
    }

    @Test
    void setsThePinOnTheFirstResponseAndAgainOnlyAMinuteLater() {
        Browser b = new Browser();
        b.get(new Split(50));
        assertThat(b.lastSetCookie).startsWith("teal=").endsWith("; Path=/; HttpOnly; SameSite=Lax");

        time.advance(Duration.ofSeconds(59));
        b.get(new Split(50));
        assertThat(b.lastSetCookie).isNull();

        time.advance(Duration.ofSeconds(1));
        String before = b.jar.get("teal");
        b.get(new Split(50));
        assertThat(b.lastSetCookie).isNotNull();
        assertThat(b.jar.get("teal")).isNotEqualTo(before);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void startsANewSessionForATamperedForeignOrDuplicatedCookie() {
        CookieCodec foreign = Fixtures.codec(OTHER_SECRET);
        record Row(String name, String cookieHeader, CookieRejection reason) {}
        Browser victim = new Browser();
        victim.get(new Split(0));
        String good = victim.jar.get("teal");
        char last = good.charAt(40);
        List<Row> rows = List.of(
                new Row(
                        "tampered",
                        "teal=" + good.substring(0, 40) + (last == 'A' ? 'B' : 'A') + good.substring(41),
                        CookieRejection.SIGNATURE),
                new Row(
                        "foreign secret",
                        "teal="
                                + foreign.encode(new PinCookie(
                                        new SessionKey(5, 5),
                                        Color.GREEN,
                                        time.now().getEpochSecond())),
                        CookieRejection.SIGNATURE),
                new Row("garbage", "teal=%00<script>", CookieRejection.MALFORMED),
                new Row("twice", "teal=" + good + "; teal=" + good, CookieRejection.MALFORMED));
        for (Row row : rows) {
            HttpHeaders request = new DefaultHttpHeaders().add("Cookie", row.cookieHeader());
            Routing r = router.route(request, null, new Split(100));
            router.end(r);

            assertThat(r.visit().kind()).as(row.name()).isEqualTo(Visit.Kind.STARTED);
            assertThat(r.color()).as(row.name()).isEqualTo(Color.GREEN);
            assertThat(router.setCookie(r, false))
                    .as(row.name())
                    .startsWith("teal=")
                    .doesNotContain(row.cookieHeader());
            assertThat(events.rejections(row.reason())).as(row.name()).isPositive();
        }
        assertThat(victim.get(new Split(100))).isEqualTo(Color.BLUE);
    }

    @Test
    void routesAReturningSessionItNeverSawByItsCookie() {
        Browser b = new Browser();
        Color color = b.get(new Split(50));
        time.advance(Duration.ofMinutes(10));

        // A restart without a saved table: same secret, empty table.
        table = Fixtures.table(time, events);
        router = router(KeyKind.COOKIE, table, SECRET);

        assertThat(b.get(new Split(color == Color.BLUE ? 100 : 0))).isEqualTo(color);
        assertThat(b.lastVisit.kind()).isEqualTo(Visit.Kind.RESUMED);
        assertThat(table.activeSessions(color)).isEqualTo(1);
    }

    @Test
    void keepsASessionWhoseCookieTrailsItsLastActivity() {
        Browser b = new Browser();
        b.get(new Split(0));
        time.advance(Duration.ofSeconds(59));
        b.get(new Split(0)); // no re-issue: the cookie still says 59 s ago
        time.advance(IDLE.minusSeconds(30));

        // The cookie is now older than the idle timeout, but the session is not.
        assertThat(b.get(new Split(100))).isEqualTo(Color.BLUE);
        assertThat(b.lastVisit.kind()).isEqualTo(Visit.Kind.EXISTING);
        assertThat(events.rejections(CookieRejection.EXPIRED)).isZero();

        time.advance(IDLE.plusMinutes(1));
        table.cleanUp();
        assertThat(b.get(new Split(100))).isEqualTo(Color.GREEN);
        assertThat(events.rejections(CookieRejection.EXPIRED)).isEqualTo(1);
    }

    @Test
    void endsTheSessionAtOnceOnLogoutAndRemovesThePin() {
        Browser b = new Browser();
        Color color = b.get(new Split(0));
        b.get(new Split(0), "JSESSIONID=; Path=/; Max-Age=0");

        assertThat(b.lastSetCookie).isEqualTo("teal=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        assertThat(table.activeSessions(color)).isZero();
        assertThat(events.endedOn(color, EndReason.CLOSED)).isEqualTo(1);
        assertThat(b.jar).doesNotContainKey("teal");
        assertThat(b.get(new Split(100))).isEqualTo(Color.GREEN);
    }

    @Test
    void keepsTheSessionWhileAWebSocketIsOpenPastTheIdleTimeout() {
        HttpHeaders request = new DefaultHttpHeaders();
        Routing first = router.route(request, null, new Split(0));
        router.setCookie(first, false);
        router.upgradeOpened(first);
        router.end(first);

        time.advance(IDLE.multipliedBy(4));
        table.cleanUp();
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(1);

        router.upgradeClosed(first);
        time.advance(IDLE);
        table.cleanUp();
        assertThat(table.activeSessions(Color.BLUE)).isZero();
    }

    @Test
    void movesForcedSessionsAndTellsTheBrowser() {
        Browser b = new Browser();
        b.get(new Split(0));
        time.advance(Duration.ofSeconds(1));
        table.forceMove(Color.BLUE);
        time.advance(Duration.ofSeconds(1));

        assertThat(b.get(new Split(0))).isEqualTo(Color.GREEN);
        assertThat(b.lastSetCookie).isNotNull();
        assertThat(b.get(new Split(0))).isEqualTo(Color.GREEN);
        assertThat(events.endedOn(Color.BLUE, EndReason.FORCED)).isEqualTo(1);
    }

    @Test
    void learnsTheApplicationsSessionCookieAndPinsByIt() {
        router = router(KeyKind.APP_COOKIE, table, SECRET);
        Browser b = new Browser();
        Color anonymous = b.get(new Split(0));
        assertThat(b.lastVisit.kind()).isEqualTo(Visit.Kind.KEYLESS);
        assertThat(table.size()).isZero();

        b.get(new Split(0), "JSESSIONID=s1; Path=/; HttpOnly"); // the login
        assertThat(table.activeSessions(anonymous)).isEqualTo(1);

        b.jar.remove("teal"); // even without the pin, the application's cookie holds the session
        assertThat(b.get(new Split(100))).isEqualTo(anonymous);
        assertThat(b.lastVisit.kind()).isEqualTo(Visit.Kind.EXISTING);

        b.get(new Split(100), "JSESSIONID=s2; Path=/"); // the application renamed its session
        assertThat(table.activeSessions(anonymous)).isEqualTo(1);
        assertThat(events.endedOn(anonymous, EndReason.CLOSED)).isEqualTo(1);
        assertThat(b.get(new Split(100))).isEqualTo(anonymous);

        b.get(new Split(100), "JSESSIONID=; Max-Age=0"); // logout
        assertThat(table.activeSessions(anonymous)).isZero();
        assertThat(b.get(new Split(100))).isEqualTo(Color.GREEN);
    }

    @Test
    void pinsByAHeaderForClientsThatDropCookies() {
        router = router(KeyKind.HEADER, table, SECRET);
        Map<String, Color> pinned = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            pinned.put("Bearer token-" + i, apiCall("Bearer token-" + i, null, new Split(50)));
        }
        for (int green : new int[] {0, 100, 50}) {
            time.advance(Duration.ofMinutes(5));
            for (Map.Entry<String, Color> e : pinned.entrySet()) {
                assertThat(apiCall(e.getKey(), null, new Split(green))).isEqualTo(e.getValue());
            }
        }
        assertThat(table.activeSessions(Color.BLUE) + table.activeSessions(Color.GREEN))
                .isEqualTo(200);
    }

    @Test
    void pinsByTheClientAddressAndRampsItMonotonically() {
        router = router(KeyKind.SOURCE_ADDRESS, table, SECRET);
        List<InetSocketAddress> clients = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            clients.add(new InetSocketAddress("198.51.100." + (i % 250), 1000 + i));
        }
        Map<InetSocketAddress, Color> atTen =
                clients.stream().collect(Collectors.toMap(c -> c, c -> apiCall(null, c, new Split(10)), (x, y) -> x));
        // Same address, new port, no cookie: same session.
        assertThat(apiCall(null, new InetSocketAddress("198.51.100.7", 9), new Split(90)))
                .isEqualTo(atTen.get(clients.get(7)));

        time.advance(IDLE.plusMinutes(1)); // all idle out: a fresh ramp step decides again, by the same buckets
        table.cleanUp();
        for (InetSocketAddress c : clients) {
            Color atTwentyFive = apiCall(null, c, new Split(25));
            if (atTen.get(c) == Color.GREEN) {
                assertThat(atTwentyFive).isEqualTo(Color.GREEN);
            }
        }
        assertThat(table.size()).isEqualTo(250);
    }

    @Test
    void trustsThePreviousRequestsVerificationOnlyForTheSameValue() {
        Browser b = new Browser();
        Color color = b.get(new Split(50));
        HttpHeaders request = new DefaultHttpHeaders().add("Cookie", "teal=" + b.jar.get("teal"));
        Routing first = router.route(request, null, new Split(50));
        router.end(first);

        Routing second = router.route(request, null, new Split(50), first);
        router.end(second);
        assertThat(second.color()).isEqualTo(color);
        assertThat(second.visit().kind()).isEqualTo(Visit.Kind.EXISTING);

        // A different value on the same connection is verified afresh.
        String tampered =
                b.jar.get("teal").substring(0, 50) + (b.jar.get("teal").endsWith("A") ? "Q" : "A");
        Routing third =
                router.route(new DefaultHttpHeaders().add("Cookie", "teal=" + tampered), null, new Split(50), second);
        router.end(third);
        assertThat(third.visit().kind()).isEqualTo(Visit.Kind.STARTED);
    }

    @Test
    void stillChecksTheTimestampOfAValueVerifiedBefore() {
        Browser b = new Browser();
        b.get(new Split(0));
        HttpHeaders request = new DefaultHttpHeaders().add("Cookie", "teal=" + b.jar.get("teal"));
        Routing first = router.route(request, null, new Split(0));
        router.end(first);
        time.advance(IDLE.plusMinutes(2));
        table.cleanUp();

        Routing later = router.route(request, null, new Split(100), first);
        router.end(later);

        assertThat(later.visit().kind()).isEqualTo(Visit.Kind.STARTED);
        assertThat(later.color()).isEqualTo(Color.GREEN);
        assertThat(events.rejections(CookieRejection.EXPIRED)).isEqualTo(1);
    }

    @Test
    void neverLetsAClientChooseItsColor() {
        // A pin signed by a secret the client invented names green: ignored, the split decides.
        CookieCodec forged = Fixtures.codec("a-secret-the-client-made-up-for-itself!!".getBytes());
        for (int i = 0; i < 100; i++) {
            String cookie = forged.encode(
                    new PinCookie(new SessionKey(i, i), Color.GREEN, time.now().getEpochSecond()));
            Routing r = router.route(new DefaultHttpHeaders().add("Cookie", "teal=" + cookie), null, new Split(0));
            router.end(r);
            assertThat(r.color()).isEqualTo(Color.BLUE);
        }
    }

    private Color apiCall(String authorization, InetSocketAddress peer, Split split) {
        HttpHeaders request = new DefaultHttpHeaders();
        if (authorization != null) {
            request.add("Authorization", authorization);
        }
        Routing r = router.route(request, peer, split);
        router.onResponse(r, new DefaultHttpHeaders());
        router.end(r);
        return r.color();
    }

    private SessionRouter router(KeyKind kind, SessionTable table, byte[] secret) {
        return new SessionRouter(
                Fixtures.codec(secret), new SessionKeys(Fixtures.settings(kind), secret), table, time.clock(), events);
    }

    /** Keeps cookies like a browser: sends them back, applies Set-Cookie (only name, value and Max-Age=0). */
    private final class Browser {
        final Map<String, String> jar = new LinkedHashMap<>();
        String lastSetCookie;
        Visit lastVisit;

        Color get(Split split, String... appSetCookies) {
            HttpHeaders request = new DefaultHttpHeaders();
            if (!jar.isEmpty()) {
                request.add(
                        "Cookie",
                        jar.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining("; ")));
            }
            Routing r = router.route(request, null, split);
            HttpHeaders response = new DefaultHttpHeaders();
            for (String setCookie : appSetCookies) {
                response.add("Set-Cookie", setCookie);
                apply(setCookie);
            }
            router.onResponse(r, response);
            lastSetCookie = router.setCookie(r, false);
            if (lastSetCookie != null) {
                assertThat(lastSetCookie).doesNotContain("\r", "\n");
                apply(lastSetCookie);
            }
            router.end(r);
            lastVisit = r.visit();
            return r.color();
        }

        private void apply(String setCookie) {
            String pair = setCookie.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (setCookie.contains("Max-Age=0") || value.isEmpty()) {
                jar.remove(name);
            } else {
                jar.put(name, value);
            }
        }
    }
}
