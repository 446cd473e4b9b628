package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import dev.teal.proxy.testing.TestSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The everyday HTTP/1.1 paths through a real proxy to real backends. */
class ProxyBasicsIT {
    private StubBackend blue;
    private StubBackend green;
    private TealProxy proxy;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        blue = StubBackend.start("blue");
        green = StubBackend.start("green");
        proxy = TealProxy.start(
                TestSettings.backends(List.of(blue.backend()), List.of(green.backend()))
                        .build(),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        proxy.shutdown(Duration.ofSeconds(5));
        blue.close();
        green.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + proxy.localAddress().getPort() + path);
    }

    @Test
    void forwardsGetToBlueAtSplitZero() throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(uri("/hello?x=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("blue GET /hello?x=1");
        assertThat(r.headers().firstValue("via")).hasValue("1.1 teal");
    }

    @Test
    void sendsEveryNewRequestToGreenAtSplitHundred() throws Exception {
        proxy.traffic().setSplit(new Split(100));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).startsWith("green ");
        }
    }

    @Test
    void keepsClientAndBackendConnectionsAlive() throws Exception {
        try (RawClient c = new RawClient(proxy.localAddress())) {
            for (int i = 0; i < 10; i++) {
                c.send("GET /n" + i + " HTTP/1.1\r\nHost: example\r\n\r\n");
                RawResponse r = c.readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("blue GET /n" + i);
            }
        }
        assertThat(blue.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("GET /slow/200 HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /three HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(c.readResponse().bodyText()).isEqualTo("blue slow");
            assertThat(c.readResponse().bodyText()).isEqualTo("blue GET /two");
            RawResponse third = c.readResponse();
            assertThat(third.bodyText()).isEqualTo("blue POST /three");
            assertThat(third.header("x-body-bytes")).isEqualTo("3");
        }
    }

    @Test
    void relaysChunkedResponsesAndRequests() throws Exception {
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.bodyText()).isEqualTo("one,two,three");
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("received 11");
        }
    }

    @Test
    void answersHeadWithoutBody() throws Exception {
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("HEAD /chunked HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse head = c.readHeadResponse();
            assertThat(head.status()).isEqualTo(200);
            assertThat(c.readResponse().bodyText()).isEqualTo("blue GET /after");
        }
    }

    @Test
    void supportsExpectContinue() throws Exception {
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            String interim = new String(c.socket().getInputStream().readNBytes(25), "ISO-8859-1");
            assertThat(interim).startsWith("HTTP/1.1 100 Continue");
            c.send("\r\n".repeat(0) + "data");
            assertThat(c.readResponse().bodyText()).isEqualTo("received 4");
        }
    }

    @Test
    void reframesCloseDelimitedResponsesAsChunks() throws Exception {
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("GET /no-length HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.bodyText()).isEqualTo("blue until close");
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            c.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("blue GET /again");
        }
    }

    @Test
    void relaysWebSocketBothWays() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://127.0.0.1:" + proxy.localAddress().getPort() + "/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket s, CharSequence data, boolean last) {
                                reply.complete(data.toString());
                                return null;
                            }
                        })
                .get(5, TimeUnit.SECONDS);
        ws.sendText("hello", true);
        assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("blue:HELLO");
        assertThat(proxy.traffic().snapshot().color(dev.teal.config.Color.BLUE).upgraded())
                .isEqualTo(1);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void refusesObsoleteLineFoldingWithoutTellingTheBackend() throws Exception {
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n");
            String answer = c.readUntilClose(Duration.ofSeconds(5));
            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("obsolete line folding");
        }
        assertThat(blue.receivedBytes()).isEmpty();
    }
}
