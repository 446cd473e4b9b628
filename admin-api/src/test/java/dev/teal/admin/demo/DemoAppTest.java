package dev.teal.admin.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Color;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DemoAppTest {
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final AtomicLong nanos = new AtomicLong();
    private final List<DemoApp> apps = new ArrayList<>();

    @AfterEach
    void stopApps() {
        apps.forEach(DemoApp::close);
    }

    @Test
    void countsVisitsWithinOneSession() throws Exception {
        Browser browser = new Browser(start(Color.BLUE, "blue-1"));

        DemoHandler.Whoami first = browser.whoami();
        DemoHandler.Whoami second = browser.whoami();
        DemoHandler.Whoami third = browser.whoami();

        assertThat(List.of(first.visits(), second.visits(), third.visits())).containsExactly(1, 2, 3);
        assertThat(third.session()).isEqualTo(first.session());
    }

    @Test
    void keepsSessionsOfDifferentClientsApart() throws Exception {
        URI app = start(Color.BLUE, "blue-1");
        Browser alice = new Browser(app);
        Browser bob = new Browser(app);

        alice.whoami();
        DemoHandler.Whoami alicesSecond = alice.whoami();
        DemoHandler.Whoami bobsFirst = bob.whoami();

        assertThat(alicesSecond.visits()).isEqualTo(2);
        assertThat(bobsFirst.visits()).isEqualTo(1);
        assertThat(bobsFirst.session()).isNotEqualTo(alicesSecond.session());
    }

    @Test
    void answersWhoamiAsJsonNamingColorInstanceSessionAndVisits() throws Exception {
        HttpResponse<String> response = new Browser(start(Color.GREEN, "green-1")).get("/api/whoami");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body())
                .matches("\\{\"color\":\"green\",\"instance\":\"green-1\",\"session\":\"[0-9A-F]{8}\",\"visits\":1}");
    }

    @Test
    void answersTheBrowsersFaviconRequestWithAnIconInItsColor() throws Exception {
        Browser browser = new Browser(start(Color.GREEN, "green-1"));

        HttpResponse<String> ico = browser.get("/favicon.ico");
        HttpResponse<String> svg = browser.get("/favicon.svg");

        assertThat(ico.statusCode()).isEqualTo(200);
        assertThat(ico.headers().firstValue("content-type")).hasValue("image/svg+xml");
        assertThat(ico.body()).startsWith("<svg").contains("fill=\"#1b7f3b\"");
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(browser.get("/").body()).contains("<link rel=\"icon\" href=\"/favicon.svg\"");
    }

    @Test
    void setsAnHttpOnlySessionCookieOnTheFirstVisitOnly() throws Exception {
        Browser browser = new Browser(start(Color.BLUE, "blue-1"));

        HttpResponse<String> first = browser.get("/");
        HttpResponse<String> second = browser.get("/");

        assertThat(first.headers().allValues("set-cookie"))
                .singleElement()
                .asString()
                .matches("JSESSIONID=[0-9A-F]{32}; Path=/; (?i:HttpOnly); SameSite=Lax");
        assertThat(second.headers().allValues("set-cookie")).isEmpty();
    }

    @Test
    void pageShowsColorInstanceSessionAndVisits() throws Exception {
        Browser browser = new Browser(start(Color.BLUE, "blue-1"));
        DemoHandler.Whoami whoami = browser.whoami();

        HttpResponse<String> page = browser.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(page.body())
                .contains("<h1>blue</h1>")
                .contains("<dd>blue-1</dd>")
                .contains("<dd>" + whoami.session() + "…</dd>")
                .contains("<dd>2</dd>")
                .contains("background: #1f5fbf");
    }

    @Test
    void logoutExpiresTheSessionCookieAndRedirectsHome() throws Exception {
        Browser browser = new Browser(start(Color.BLUE, "blue-1"));
        DemoHandler.Whoami before = browser.whoami();

        HttpResponse<String> logout = browser.get("/logout");
        DemoHandler.Whoami after = browser.whoami();

        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("location")).hasValue("/");
        assertThat(logout.headers().allValues("set-cookie"))
                .singleElement()
                .asString()
                .matches("JSESSIONID=; Max-Age=0; Expires=[^;]+; Path=/; (?i:HttpOnly); SameSite=Lax");
        assertThat(after.visits()).isEqualTo(1);
        assertThat(after.session()).isNotEqualTo(before.session());
    }

    @Test
    void endsTheSessionOnLogoutEvenIfTheClientKeepsTheOldCookie() throws Exception {
        URI app = start(Color.BLUE, "blue-1");
        Browser browser = new Browser(app);
        browser.get("/");
        String cookie = browser.cookieHeader();

        HttpResponse<String> logout = Browser.send(app, "/logout", cookie);
        HttpResponse<String> replay = Browser.send(app, "/api/whoami", cookie);

        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(replay.headers().allValues("set-cookie")).hasSize(1);
        assertThat(replay.body()).contains("\"visits\":1");
    }

    @Test
    void startsANewSessionAfterTheIdleTimeout() throws Exception {
        Browser browser = new Browser(start(Color.BLUE, "blue-1"));
        DemoHandler.Whoami first = browser.whoami();

        nanos.addAndGet(IDLE_TIMEOUT.minusSeconds(1).toNanos());
        DemoHandler.Whoami stillActive = browser.whoami();
        nanos.addAndGet(IDLE_TIMEOUT.plusSeconds(1).toNanos());
        DemoHandler.Whoami afterIdling = browser.whoami();

        assertThat(stillActive.session()).isEqualTo(first.session());
        assertThat(stillActive.visits()).isEqualTo(2);
        assertThat(afterIdling.session()).isNotEqualTo(first.session());
        assertThat(afterIdling.visits()).isEqualTo(1);
    }

    @Test
    void neverAdoptsASessionIdTheClientMadeUp() throws Exception {
        URI app = start(Color.BLUE, "blue-1");
        String madeUp = "JSESSIONID=00000000000000000000000000000000";

        HttpResponse<String> response = Browser.send(app, "/api/whoami", madeUp);

        assertThat(response.headers().allValues("set-cookie"))
                .singleElement()
                .asString()
                .doesNotStartWith(madeUp)
                .startsWith("JSESSIONID=");
        assertThat(response.body()).contains("\"visits\":1").doesNotContain("\"session\":\"00000000\"");
    }

    @Test
    void healthAnswersOkWithoutStartingASession() throws Exception {
        HttpResponse<String> health = new Browser(start(Color.BLUE, "blue-1")).get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(health.headers().allValues("set-cookie")).isEmpty();
    }

    @Test
    void answersUnknownPathsWith404WithoutStartingASession() throws Exception {
        Browser browser = new Browser(start(Color.BLUE, "blue-1"));
        HttpResponse<String> unknown = browser.get("/robots.txt");
        HttpResponse<String> favicon = browser.get("/favicon.ico");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().allValues("set-cookie")).isEmpty();
        assertThat(favicon.headers().allValues("set-cookie")).isEmpty();
    }

    @Test
    void refusesOtherMethodsWith405() throws Exception {
        URI app = start(Color.BLUE, "blue-1");
        HttpRequest post = HttpRequest.newBuilder(app.resolve("/api/whoami"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void chaosMakesAShareOfAnswersFiveHundredsUntilHealed() throws Exception {
        Browser browser = new Browser(start(Color.GREEN, "green-1"));

        assertThat(browser.get("/api/chaos?error-rate=1").body()).contains("\"errorRate\": 1.0");
        assertThat(browser.get("/api/whoami").statusCode()).isEqualTo(500);
        assertThat(browser.get("/").statusCode()).isEqualTo(500);
        assertThat(browser.get("/health").statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/chaos?error-rate=1.5").statusCode()).isEqualTo(400);
        assertThat(browser.get("/api/chaos?rate=0").statusCode()).isEqualTo(400);
        assertThat(browser.get("/api/whoami").statusCode()).isEqualTo(500);

        assertThat(browser.get("/api/chaos?error-rate=0").statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/whoami").statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/chaos").body()).contains("\"errorRate\": 0.0");
    }

    private URI start(Color color, String instance) {
        DemoApp app = DemoApp.start(
                color, instance, new InetSocketAddress("127.0.0.1", 0), new DemoSessions(IDLE_TIMEOUT, nanos::get));
        apps.add(app);
        return URI.create("http://127.0.0.1:" + app.localAddress().getPort());
    }

    /** One browser: its own cookie jar, so its own session. */
    private static final class Browser {
        private static final JsonMapper JSON = JsonMapper.shared();

        private final URI base;
        private final CookieManager cookies = new CookieManager();
        private final HttpClient client;

        Browser(URI base) {
            this.base = base;
            this.client = HttpClient.newBuilder().cookieHandler(cookies).build();
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return client.send(
                    HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        DemoHandler.Whoami whoami() throws IOException, InterruptedException {
            HttpResponse<String> response = get("/api/whoami");
            assertThat(response.statusCode()).isEqualTo(200);
            return JSON.readValue(response.body(), DemoHandler.Whoami.class);
        }

        String cookieHeader() {
            return cookies.getCookieStore().getCookies().stream()
                    .map(cookie -> cookie.getName() + "=" + cookie.getValue())
                    .reduce((a, b) -> a + "; " + b)
                    .orElseThrow();
        }

        /** A request with a fixed {@code Cookie} header, as a client that ignores Set-Cookie sends it. */
        static HttpResponse<String> send(URI base, String path, String cookie)
                throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                    .header("Cookie", cookie)
                    .build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
