package dev.teal.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.teal.config.TimeoutSettings;
import dev.teal.proxy.testing.HttpArbitraries;
import dev.teal.proxy.testing.LeakCheckExtension;
import dev.teal.proxy.testing.ProxyFixture;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.StrictRequests;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * The request-path fuzz property against a running proxy on real sockets (the volume runs in
 * {@code RequestHeadFuzzTest} on the pipeline alone): for every input, teal never answers 5xx, no exception
 * reaches the end of a pipeline (Netty would log it), no buffer leaks, and every byte the backend receives
 * reads as unambiguous requests, connection by connection.
 */
class RequestPathFuzzIT {
    /** Appended to every input so that most connections end at once instead of at a time-out. */
    private static final String LAST = "GET /last HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";

    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3}) ");

    private static ProxyFixture f;
    private static ListAppender<ILoggingEvent> warnings;

    @BeforeContainer
    static void start() {
        Duration shortWait = Duration.ofMillis(300);
        f = ProxyFixture.start(
                1,
                1,
                t -> t.timeouts(new TimeoutSettings(
                        shortWait,
                        shortWait,
                        shortWait,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5))));
        // Every request gets the same plain answer: none of the stub's special paths (/close, /status/500).
        f.blue.get(0).respondWith(r -> ok());
        f.green.get(0).respondWith(r -> ok());
        warnings = new ListAppender<>();
        warnings.start();
        root().addAppender(warnings);
    }

    @AfterContainer
    static void stop() {
        root().detachAppender(warnings);
        f.close();
        LeakCheckExtension.assertNoLeaks(RequestPathFuzzIT.class.getSimpleName());
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static DefaultFullHttpResponse ok() {
        return new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.copiedBuffer("ok", StandardCharsets.UTF_8));
    }

    @Property
    void neverAnswers5xxNorForwardsAnAmbiguousRequest(@ForAll("inputs") String input) throws Exception {
        String answer;
        try (RawClient c = f.client()) {
            c.send(input + LAST);
            answer = c.readUntilClose(Duration.ofSeconds(10));
        }
        assertThat(answer).as("teal closed the connection").doesNotContain("<<timeout>>");
        assertThat(statuses(answer))
                .as("statuses in %s", Refusals.printable(answer))
                .allMatch(code -> code < 500);
        for (String connection : backendConnections()) {
            assertThat(StrictRequests.parse(connection)).isNotNull();
        }
        synchronized (warnings) {
            assertThat(warnings.list)
                    .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .isEmpty();
        }
    }

    @Provide
    Arbitrary<String> inputs() {
        return HttpArbitraries.inputs();
    }

    private static List<String> backendConnections() {
        List<String> all = new ArrayList<>(f.blue.get(0).receivedByConnection());
        all.addAll(f.green.get(0).receivedByConnection());
        return all;
    }

    /**
     * The status codes of the responses a connection received. Matched at line starts: backend bodies are
     * "ok", and teal's own messages print control bytes as '?', so no body holds a line that looks like one.
     */
    private static List<Integer> statuses(String answer) {
        List<Integer> codes = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(answer);
        while (m.find()) {
            codes.add(Integer.parseInt(m.group(1)));
        }
        return codes;
    }
}
