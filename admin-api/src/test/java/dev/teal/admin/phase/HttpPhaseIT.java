package dev.teal.admin.phase;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP phases against a real HTTP server (WireMock on loopback). */
class HttpPhaseIT {
    private static WireMockServer wiremock;

    @BeforeAll
    static void startWireMock() {
        wiremock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wiremock.start();
    }

    @AfterAll
    static void stopWireMock() {
        wiremock.stop();
    }

    @BeforeEach
    void reset() {
        wiremock.resetAll();
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + wiremock.port() + path);
    }

    @Test
    void sendsMethodHeadersAndBodyAndSucceedsOnTheExpectedStatus() {
        wiremock.stubFor(post("/backfill").willReturn(aResponse().withStatus(204)));
        HttpPhase phase = Phases.http(
                "backfill",
                Duration.ofSeconds(5),
                "POST",
                url("/backfill"),
                Map.of("X-Token", "abc", "Content-Type", "application/json"),
                "{\"batch\": 1000}",
                OptionalInt.of(204));

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(result.detail()).isEqualTo("POST " + url("/backfill") + ": 204");
        wiremock.verify(postRequestedFor(urlEqualTo("/backfill"))
                .withHeader("X-Token", equalTo("abc"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalTo("{\"batch\": 1000}")));
    }

    @Test
    void anyTwoHundredSucceedsWhenNoStatusIsExpected() {
        wiremock.stubFor(put("/warm").willReturn(aResponse().withStatus(202).withBody("queued")));
        HttpPhase phase =
                Phases.http("warm", Duration.ofSeconds(5), "PUT", url("/warm"), Map.of(), "", OptionalInt.empty());

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(result.output()).isEqualTo("HTTP 202\nqueued");
    }

    @Test
    void anotherStatusFailsWithTheAnswersBody() {
        wiremock.stubFor(
                post("/backfill").willReturn(aResponse().withStatus(500).withBody("customer 17: first_name is null")));
        HttpPhase phase = Phases.http(
                "backfill", Duration.ofSeconds(5), "POST", url("/backfill"), Map.of(), "", OptionalInt.of(204));

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).isEqualTo("POST " + url("/backfill") + ": 500 (expected 204)");
        assertThat(result.output()).isEqualTo("HTTP 500\ncustomer 17: first_name is null");
    }

    @Test
    void aRedirectIsNotFollowedAndIsNotSuccess() {
        wiremock.stubFor(
                post("/backfill").willReturn(aResponse().withStatus(302).withHeader("Location", "/login")));
        HttpPhase phase = Phases.http(
                "backfill", Duration.ofSeconds(5), "POST", url("/backfill"), Map.of(), "", OptionalInt.empty());

        assertThat(phase.run(Phases.run(phase)).detail()).endsWith(": 302 (expected 2xx)");
    }

    @Test
    void anAnswerSlowerThanTheTimeoutTimesOut() {
        wiremock.stubFor(
                post("/backfill").willReturn(aResponse().withStatus(204).withFixedDelay(3000)));
        HttpPhase phase = Phases.http(
                "backfill", Duration.ofMillis(300), "POST", url("/backfill"), Map.of(), "", OptionalInt.of(204));

        long start = System.nanoTime();
        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.TIMED_OUT);
        assertThat(result.detail()).isEqualTo("POST " + url("/backfill") + ": no complete answer within 0.3s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aRefusedConnectionFails() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closed + "/backfill");
        HttpPhase phase =
                Phases.http("backfill", Duration.ofSeconds(5), "POST", nowhere, Map.of(), "", OptionalInt.empty());

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).startsWith("POST " + nowhere + ": cannot connect");
    }
}
