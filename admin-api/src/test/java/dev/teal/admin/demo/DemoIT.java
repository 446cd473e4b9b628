package dev.teal.admin.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The demo as a person meets it: a browser talking to teal, the blue application behind it. */
class DemoIT {
    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient browser =
            HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @Test
    void servesTheBlueApplicationThroughTealAndKeepsTheSession() throws Exception {
        try (Demo demo = Demo.start(0, 0, 0, 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            DemoHandler.Whoami first = whoami(demo);
            DemoHandler.Whoami second = whoami(demo);

            assertThat(first.color()).isEqualTo("blue");
            assertThat(first.instance()).isEqualTo("blue-1");
            assertThat(second.session()).isEqualTo(first.session());
            assertThat(second.visits()).isEqualTo(2);
        }
    }

    @Test
    void logoutThroughTealEndsTheApplicationSession() throws Exception {
        try (Demo demo = Demo.start(0, 0, 0, 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            DemoHandler.Whoami before = whoami(demo);

            HttpResponse<String> logout = get(demo.proxyAddress(), "/logout");
            DemoHandler.Whoami after = whoami(demo);

            assertThat(logout.statusCode()).isEqualTo(303);
            assertThat(logout.headers().allValues("set-cookie")).anyMatch(c -> c.startsWith("JSESSIONID=; Max-Age=0"));
            assertThat(after.session()).isNotEqualTo(before.session());
            assertThat(after.visits()).isEqualTo(1);
        }
    }

    @Test
    void closingStopsTealAndBothApplications() throws Exception {
        Demo demo = Demo.start(0, 0, 0, 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        whoami(demo);

        demo.close();

        for (InetSocketAddress address :
                new InetSocketAddress[] {demo.proxyAddress(), demo.blueAddress(), demo.greenAddress()}) {
            assertThatThrownBy(() -> get(address, "/health"))
                    .as("%s after close", address)
                    .isInstanceOf(ConnectException.class);
        }
    }

    private DemoHandler.Whoami whoami(Demo demo) throws IOException, InterruptedException {
        HttpResponse<String> response = get(demo.proxyAddress(), "/api/whoami");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readValue(response.body(), DemoHandler.Whoami.class);
    }

    private HttpResponse<String> get(InetSocketAddress address, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + address.getPort() + path);
        return browser.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
