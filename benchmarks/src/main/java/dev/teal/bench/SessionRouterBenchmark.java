package dev.teal.bench;

import dev.teal.config.Color;
import dev.teal.config.SessionSettings;
import dev.teal.config.SessionSettings.CookieSettings;
import dev.teal.config.SessionSettings.KeyKind;
import dev.teal.proxy.Split;
import dev.teal.proxy.session.CoarseTime;
import dev.teal.proxy.session.CookieCodec;
import dev.teal.proxy.session.CookieVerdict;
import dev.teal.proxy.session.Routing;
import dev.teal.proxy.session.SessionEvents;
import dev.teal.proxy.session.SessionKey;
import dev.teal.proxy.session.SessionKeys;
import dev.teal.proxy.session.SessionRouter;
import dev.teal.proxy.session.SessionTable;
import dev.teal.proxy.session.Visit;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-request session path of a returning session: read and verify the pin cookie, look the session
 * up in the table, route it, end the request. The table holds {@code sessions} sessions, the requests
 * cycle through them (so each lookup misses the CPU caches, as in production); each {@code Cookie} header
 * also carries other cookies, as browsers send them. The
 * router's wall clock is fixed at setup so that no cookie needs re-issuing (in production that happens at
 * most once a minute per session); the table runs as in production, on a {@link CoarseTime} ticker and
 * Caffeine's system scheduler.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar SessionRouterBenchmark -f1 -wi 2 -i 3
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionRouterBenchmark {
    private static final byte[] SECRET = "benchmark-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8);

    @Param({"1000", "100000"})
    int sessions;

    private SessionRouter router;
    private CookieCodec codec;
    private SessionTable table;
    private String[] cookieHeaders;
    private final HttpHeaders request = new DefaultHttpHeaders();
    private String[] cookies;
    private SessionKey[] keys;
    private Routing[] previous;
    private final InetSocketAddress peer = new InetSocketAddress("203.0.113.9", 50000);
    private final Split split = new Split(25);
    private Instant now;
    private CoarseTime time;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        now = Instant.now();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Duration idle = Duration.ofMinutes(30);
        SessionSettings settings = new SessionSettings(
                KeyKind.COOKIE,
                new CookieSettings("teal", List.of(), CookieSettings.Secure.AUTO, Optional.empty()),
                "JSESSIONID",
                "Authorization",
                idle,
                List.of());
        codec = new CookieCodec(settings.cookie(), List.of(SECRET), idle);
        time = CoarseTime.start(Duration.ofMillis(1));
        table = SessionTable.create(idle, time, time.clock(), SessionEvents.NONE);
        router = new SessionRouter(codec, new SessionKeys(settings, SECRET), table, clock, SessionEvents.NONE);
        cookieHeaders = new String[sessions];
        cookies = new String[sessions];
        keys = new SessionKey[sessions];
        previous = new Routing[sessions];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < sessions; i++) {
            HttpHeaders first = new DefaultHttpHeaders();
            Routing r = router.route(first, peer, split);
            router.end(r);
            cookies[i] = codec.encode(r.issue());
            keys[i] = r.issue().id();
            cookieHeaders[i] = "_ga=GA1.2." + random.nextInt() + "; JSESSIONID=" + Long.toHexString(random.nextLong())
                    + "; teal=" + cookies[i];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        time.close();
    }

    /** Verify, look up, route, end: what every request of a returning session costs. */
    @Benchmark
    public Color routeReturningSession() {
        // One headers object, as a decoder hands over a just-parsed request: the session lookup stays cold.
        request.set(HttpHeaderNames.COOKIE, cookieHeaders[next()]);
        Routing r = router.route(request, peer, split);
        router.end(r);
        return r.color();
    }

    /**
     * The same on a keep-alive connection: the previous request of the session sent the same pin, so only
     * its timestamp is checked, not its signature.
     */
    @Benchmark
    public Color routeReturningSessionKeepAlive() {
        int i = next();
        request.set(HttpHeaderNames.COOKIE, cookieHeaders[i]);
        Routing r = router.route(request, peer, split, previous[i]);
        router.end(r);
        previous[i] = r;
        return r.color();
    }

    /** The cookie alone: decode, HMAC-SHA-256, constant-time compare. */
    @Benchmark
    public CookieVerdict verifyCookie() {
        return codec.verify(cookies[next()], now);
    }

    /** The table alone: begin and end a request of a known session. */
    @Benchmark
    public Visit tableBeginEnd() {
        Visit v = table.begin(keys[next()], Color.BLUE, null);
        table.end(v);
        return v;
    }

    /**
     * A first visit: no cookie, a new random id, a new session, a cookie to sign. The session is closed
     * afterwards (one more table operation) so that the table does not grow for the whole run.
     */
    @Benchmark
    public String routeNewSession() {
        Routing r = router.route(new DefaultHttpHeaders(), peer, split);
        router.end(r);
        table.close(r.visit().session().key());
        return router.setCookie(r, false);
    }

    private int next() {
        int i = next;
        next = i + 1 == sessions ? 0 : i + 1;
        return i;
    }
}
