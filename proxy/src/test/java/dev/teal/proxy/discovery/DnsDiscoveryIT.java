package dev.teal.proxy.discovery;

import static dev.teal.proxy.testing.ProxyFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Backend;
import dev.teal.config.Color;
import dev.teal.config.DiscoverySettings;
import dev.teal.config.DnsSource;
import dev.teal.config.HostPort;
import dev.teal.config.TealSettings;
import dev.teal.proxy.Split;
import dev.teal.proxy.TealProxy;
import dev.teal.proxy.testing.Browser;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import dev.teal.proxy.testing.TestDnsServer;
import dev.teal.proxy.testing.TestSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.dns.DnsRecordType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DNS discovery over real sockets: teal resolves through a DNS server on loopback ({@link TestDnsServer})
 * whose records the tests change while teal serves, in front of real backends on 127.0.0.1-3.
 */
class DnsDiscoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NAME = "app.teal.test";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<StubBackend> backends = new ArrayList<>();
    private TestDnsServer dns;
    private StubBackend green;
    private BackendDiscovery discovery;
    private TealProxy proxy;

    @BeforeEach
    void startDns() {
        dns = TestDnsServer.start();
        green = StubBackend.start("green-1");
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.shutdown(Duration.ofSeconds(5));
        }
        if (discovery != null) {
            discovery.close();
        }
        backends.forEach(StubBackend::close);
        green.close();
        dns.close();
    }

    private StubBackend backend(String name, String host, int port) {
        StubBackend b = StubBackend.start(name, host, port);
        backends.add(b);
        return b;
    }

    private DiscoverySettings resolver(Duration minTtl, Duration maxTtl, Duration timeout) {
        return new DiscoverySettings(minTtl, maxTtl, List.of(dns.address()), timeout);
    }

    /** Blue from {@code names} only, green one listed backend; teal wired as the launcher wires it. */
    private void startTeal(DiscoverySettings resolver, DnsSource... names) {
        TealSettings configured = TestSettings.backends(List.of(green.backend()), List.of(green.backend()))
                .color(Color.BLUE, List.of(), List.of(names))
                .discovery(resolver)
                .build();
        discovery = BackendDiscovery.start(configured, meters, Clock.systemUTC());
        proxy = TealProxy.start(discovery.settings(), meters);
        discovery.attach(proxy.traffic()::reload);
    }

    private static DnsSource address(String name, int port) {
        return new DnsSource(DnsSource.Kind.ADDRESS, name, port);
    }

    /** The backend that answered a request of a new session (no cookie), on a fresh connection. */
    private String newSession() throws IOException {
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("GET / HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
            RawResponse r = c.readResponse();
            return r.status() == 200 ? "200 " + r.bodyText().split(" ")[0] : r.status() + " " + r.bodyText();
        }
    }

    private List<Backend> blueInForce() {
        return discovery.settings().color(Color.BLUE).backends();
    }

    private static Backend at(String host, int port) {
        return new Backend(new HostPort(host, port));
    }

    @Test
    void recordsAddedRemovedAndChangedMoveBackendsWithoutDroppingConnections() throws Exception {
        StubBackend one = backend("blue-1", "127.0.0.1", 0);
        int port = one.address().getPort();
        StubBackend two = backend("blue-2", "127.0.0.2", port);
        StubBackend three = backend("blue-3", "127.0.0.3", port);
        dns.a(NAME, 0, "127.0.0.1");
        startTeal(resolver(Duration.ofMillis(100), Duration.ofHours(1), Duration.ofSeconds(1)), address(NAME, port));

        assertThat(blueInForce()).containsExactly(at("127.0.0.1", port));
        for (int i = 0; i < 10; i++) {
            assertThat(newSession()).isEqualTo("200 blue-1");
        }
        Browser returning = new Browser(proxy.localAddress());
        assertThat(returning.get("/").bodyText()).startsWith("blue-1");

        // Added: new sessions reach the new instance.
        dns.a(NAME, 0, "127.0.0.1", "127.0.0.2");
        List<String> seen = new CopyOnWriteArrayList<>();
        assertThat(eventually(WAIT, () -> {
                    try {
                        seen.add(newSession());
                        return seen.contains("200 blue-2");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }))
                .as("a new session reaches blue-2 once DNS lists it; seen %s", seen)
                .isTrue();
        assertThat(seen).allMatch(s -> s.equals("200 blue-1") || s.equals("200 blue-2"));

        // Removed while a request to it is in flight on a keep-alive connection: the request finishes.
        try (RawClient keepAlive = new RawClient(proxy.localAddress())) {
            long sent = System.nanoTime();
            keepAlive.send("GET /slow/4000 HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(eventually(WAIT, () -> inFlight(one) || inFlight(two))).isTrue();
            boolean onOne = inFlight(one);
            StubBackend busy = onOne ? one : two;
            String busyIp = onOne ? "127.0.0.1" : "127.0.0.2";
            String stayingIp = onOne ? "127.0.0.2" : "127.0.0.1";
            StubBackend staying = onOne ? two : one;
            dns.a(NAME, 0, stayingIp);
            assertThat(eventually(WAIT, () -> blueInForce().equals(List.of(at(stayingIp, port)))))
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - sent))
                    .as("the removal was applied while the slow request was still in flight")
                    .isLessThan(Duration.ofMillis(3500));
            RawResponse slow = keepAlive.readResponse();
            assertThat(slow.status()).isEqualTo(200);
            assertThat(slow.bodyText()).isEqualTo(busy.name() + " slow");

            // The removed instance gets no new session; the open connection goes on, to the one that stays.
            int busyBefore = busy.requests().size();
            for (int i = 0; i < 20; i++) {
                assertThat(newSession()).isEqualTo("200 " + staying.name());
            }
            keepAlive.send("GET /again HTTP/1.1\r\nHost: shop\r\n\r\n");
            RawResponse again = keepAlive.readResponse();
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.bodyText()).startsWith(staying.name() + " GET /again");
            assertThat(busy.requests()).hasSize(busyBefore);
            // A session that began on blue stays on blue, with no failed request.
            assertThat(returning.get("/later").status()).isEqualTo(200);
            assertThat(returning.color("/later")).isEqualTo("blue");

            // Changed: the record now names another address; sessions follow it.
            dns.a(NAME, 0, "127.0.0.3");
            assertThat(eventually(WAIT, () -> blueInForce().equals(List.of(at("127.0.0.3", port)))))
                    .isTrue();
            int stayingBefore = staying.requests().size();
            for (int i = 0; i < 20; i++) {
                assertThat(newSession()).isEqualTo("200 blue-3");
            }
            assertThat(staying.requests()).hasSize(stayingBefore);
            assertThat(three.requests()).hasSizeGreaterThanOrEqualTo(20);
        }
        assertThat(meters.get("teal.discovery.backends")
                        .tag("color", "blue")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
    }

    private static boolean inFlight(StubBackend b) {
        return b.requests().stream().anyMatch(r -> r.uri().equals("/slow/4000"));
    }

    @Test
    void aAndAaaaRecordsBothGiveBackends() throws Exception {
        StubBackend v4 = backend("blue-v4", "127.0.0.1", 0);
        int port = v4.address().getPort();
        StubBackend v6 = backend("blue-v6", "::1", port);
        dns.a(NAME, 5, "127.0.0.1").aaaa(NAME, 5, "::1");
        startTeal(resolver(Duration.ofMillis(100), Duration.ofHours(1), Duration.ofSeconds(1)), address(NAME, port));

        assertThat(blueInForce()).containsExactlyInAnyOrder(at("127.0.0.1", port), at("::1", port));
        List<String> seen = new ArrayList<>();
        assertThat(eventually(WAIT, () -> {
                    try {
                        seen.add(newSession());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return seen.contains("200 blue-v4") && seen.contains("200 blue-v6") || seen.size() > 50;
                }))
                .as("both the IPv4 and the IPv6 instance get sessions; seen %s", seen)
                .isTrue();
        assertThat(seen).contains("200 blue-v4", "200 blue-v6");
        assertThat(v6.requests()).isNotEmpty();
    }

    @Test
    void srvRecordsGiveTargetsAndTheirPorts() throws Exception {
        StubBackend a = backend("blue-a", "127.0.0.1", 0);
        StubBackend b = backend("blue-b", "127.0.0.2", 0);
        int portA = a.address().getPort();
        int portB = b.address().getPort();
        String service = "_http._tcp.shop.teal.test";
        dns.srv(service, 5, new TestDnsServer.Srv("a.teal.test", portA), new TestDnsServer.Srv("b.teal.test", portB));
        dns.a("a.teal.test", 5, "127.0.0.1");
        dns.a("b.teal.test", 5, "127.0.0.2");
        startTeal(
                resolver(Duration.ofMillis(100), Duration.ofHours(1), Duration.ofSeconds(1)),
                new DnsSource(DnsSource.Kind.SERVICE, service, 0));

        assertThat(blueInForce()).containsExactlyInAnyOrder(at("127.0.0.1", portA), at("127.0.0.2", portB));
        List<String> seen = new ArrayList<>();
        assertThat(eventually(WAIT, () -> {
                    try {
                        seen.add(newSession());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return seen.contains("200 blue-a") && seen.contains("200 blue-b") || seen.size() > 50;
                }))
                .as("both SRV targets get sessions at their own ports; seen %s", seen)
                .isTrue();
        assertThat(seen).contains("200 blue-a", "200 blue-b");
        DiscoveredName name = discovery.names().get(0);
        assertThat(name.source()).hasToString("dns+srv://" + service);
        assertThat(name.refreshed()).isPresent();
        assertThat(name.failure()).isEmpty();
    }

    @Test
    void ttlsAreHonouredWithinTheFloorAndTheCeiling() throws Exception {
        // Three names of one color: TTL 0 (the floor applies), 1 s (honoured), 3600 s (the ceiling applies).
        dns.a("floor.teal.test", 0, "127.0.0.1");
        dns.a("honoured.teal.test", 1, "127.0.0.2");
        dns.a("ceiling.teal.test", 3600, "127.0.0.3");
        startTeal(
                resolver(Duration.ofMillis(300), Duration.ofMillis(1500), Duration.ofSeconds(1)),
                address("floor.teal.test", 80),
                address("honoured.teal.test", 80),
                address("ceiling.teal.test", 80));

        assertThat(eventually(
                        Duration.ofSeconds(20),
                        () -> dns.questions("ceiling.teal.test", DnsRecordType.A)
                                        .size()
                                >= 4))
                .isTrue();
        List<Duration> floor = gaps(dns.questions("floor.teal.test", DnsRecordType.A));
        List<Duration> honoured = gaps(dns.questions("honoured.teal.test", DnsRecordType.A));
        List<Duration> ceiling = gaps(dns.questions("ceiling.teal.test", DnsRecordType.A));
        // A TTL of 0 is asked again after min-ttl, not in a loop.
        assertThat(floor).hasSizeGreaterThanOrEqualTo(6).allMatch(d -> d.toMillis() >= 280 && d.toMillis() < 1200);
        // A TTL of 1 s: after 1 s.
        assertThat(honoured).hasSizeGreaterThanOrEqualTo(3).allMatch(d -> d.toMillis() >= 980 && d.toMillis() < 2000);
        // An hour's TTL: after max-ttl.
        assertThat(ceiling).hasSizeGreaterThanOrEqualTo(3).allMatch(d -> d.toMillis() >= 1480 && d.toMillis() < 3000);
    }

    /** Time between consecutive questions. */
    private static List<Duration> gaps(List<TestDnsServer.Question> questions) {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < questions.size(); i++) {
            gaps.add(Duration.ofNanos(
                    questions.get(i).nanoTime() - questions.get(i - 1).nanoTime()));
        }
        return gaps;
    }

    private double errors(String reason) {
        Counter c = meters.find("teal.discovery.errors")
                .tags("color", "blue", "reason", reason)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void failuresKeepTheLastGoodSet() throws Exception {
        StubBackend one = backend("blue-1", "127.0.0.1", 0);
        int port = one.address().getPort();
        StubBackend two = backend("blue-2", "127.0.0.2", port);
        dns.a(NAME, 0, "127.0.0.1");
        startTeal(resolver(Duration.ofMillis(100), Duration.ofHours(1), Duration.ofMillis(300)), address(NAME, port));
        List<Backend> good = List.of(at("127.0.0.1", port));
        assertThat(blueInForce()).isEqualTo(good);

        dns.mode(TestDnsServer.Mode.SERVFAIL);
        assertThat(eventually(WAIT, () -> errors("server-error") >= 3)).isTrue();
        assertThat(blueInForce()).isEqualTo(good);
        assertThat(newSession()).isEqualTo("200 blue-1");

        dns.mode(TestDnsServer.Mode.SILENT);
        assertThat(eventually(WAIT, () -> errors("timeout") >= 2)).isTrue();
        assertThat(blueInForce()).isEqualTo(good);
        assertThat(discovery.names().get(0).failure())
                .hasValueSatisfying(f -> assertThat(f).startsWith("timeout"));

        dns.mode(TestDnsServer.Mode.ANSWER);
        dns.a(NAME, 0);
        assertThat(eventually(WAIT, () -> errors("nxdomain") >= 2)).isTrue();
        assertThat(blueInForce()).isEqualTo(good);
        assertThat(newSession()).isEqualTo("200 blue-1");

        // The name has another record type only: no A or AAAA record.
        dns.srv(NAME, 0, new TestDnsServer.Srv("x.teal.test", 1));
        assertThat(eventually(WAIT, () -> errors("no-records") >= 2)).isTrue();
        assertThat(blueInForce()).isEqualTo(good);

        // Answers again, with a new set: applied.
        dns.a(NAME, 0, "127.0.0.2");
        assertThat(eventually(WAIT, () -> blueInForce().equals(List.of(at("127.0.0.2", port)))))
                .isTrue();
        assertThat(newSession()).isEqualTo("200 blue-2");
        assertThat(discovery.names().get(0).failure()).isEmpty();
    }

    @Test
    void aNameWithoutRecordsAtStartAnswers503SayingSoUntilItHasSome() throws Exception {
        StubBackend one = backend("blue-1", "127.0.0.1", 0);
        int port = one.address().getPort();
        startTeal(resolver(Duration.ofMillis(100), Duration.ofHours(1), Duration.ofMillis(500)), address(NAME, port));

        assertThat(blueInForce()).isEmpty();
        try (RawClient c = new RawClient(proxy.localAddress())) {
            c.send("GET / HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText())
                    .contains("no blue backend: DNS discovery found none for [dns://" + NAME + ":" + port + "]");
        }
        assertThat(discovery.problems(new Split(0)))
                .singleElement()
                .asString()
                .startsWith("blue has 100 % of the split but DNS discovery found no backends: dns://" + NAME)
                .contains("nxdomain");
        assertThat(discovery.problems(new Split(100))).isEmpty();

        dns.a(NAME, 0, "127.0.0.1");
        assertThat(eventually(WAIT, () -> !blueInForce().isEmpty())).isTrue();
        assertThat(newSession()).isEqualTo("200 blue-1");
        assertThat(discovery.problems(new Split(0))).isEmpty();
    }
}
