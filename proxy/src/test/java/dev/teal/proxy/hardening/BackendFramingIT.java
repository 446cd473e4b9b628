package dev.teal.proxy.hardening;

import static dev.teal.proxy.testing.ProxyFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.TealProxy;
import dev.teal.proxy.testing.RawBackend;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import dev.teal.proxy.testing.TestSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Catalogue row S20: a backend whose response framing is ambiguous gets its answer replaced by 502, and the
 * connection it came on is closed, never reused for another request.
 */
class BackendFramingIT {
    private RawBackend blue;
    private StubBackend green;
    private TealProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.shutdown(Duration.ofSeconds(5));
        }
        if (blue != null) {
            blue.close();
        }
        if (green != null) {
            green.close();
        }
    }

    private void start(String response) {
        blue = RawBackend.answering(head -> response);
        green = StubBackend.start("green");
        proxy = TealProxy.start(
                TestSettings.backends(List.of(blue.backend()), List.of(green.backend()))
                        .build(),
                new SimpleMeterRegistry());
    }

    @ParameterizedTest(name = "S20 {0}")
    @ValueSource(
            strings = {
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 30\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!"
            })
    @DisplayName("S20 the backend answers with CL+TE, TE chunked twice, or chunked on HTTP/1.0: 502, never reused")
    void s20_answers502AndNeverReusesTheConnectionOfAnAmbiguousResponse(String response) throws Exception {
        start(response);
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).startsWith("teal: blue backend ");
        }
        assertThat(eventually(Duration.ofSeconds(10), () -> blue.connectionsClosedByPeer() == 1))
                .as("teal closed the backend connection that carried the ambiguous response")
                .isTrue();
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(502);
        }
        assertThat(blue.connectionsAccepted())
                .as("connections the backend accepted for two requests")
                .isEqualTo(2);
    }
}
