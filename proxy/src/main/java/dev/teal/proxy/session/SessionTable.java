package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.teal.config.Color;
import dev.teal.proxy.SessionView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * Every known session: key → {@link Session} (color, when pinned, last activity, requests in flight,
 * open upgraded connections), on Caffeine with variable expiry. A session expires {@code idle-timeout}
 * after its last activity and never while a request or an upgraded connection is open: every change of
 * those counts goes through {@code compute} on its key, under the same per-entry lock as eviction, and the
 * expiry is recomputed from the new counts there, so a busy session cannot be evicted even for an instant.
 * Expiry is timely (Caffeine's scheduler wakes up at the next deadline), so the counts fall without traffic.
 *
 * <p>Per-color counts (active sessions, in-flight requests, upgraded connections, sessions ended) are kept
 * incrementally, never by a scan. The per-request operations ({@link #begin}, {@link #end}) take no lock
 * shared across sessions and never block.
 */
public final class SessionTable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SessionTable.class);

    /** The file under the state directory that {@link #save} writes and {@link #load} reads, by convention. */
    public static final String FILE_NAME = "sessions.bin";

    private static final long NEVER = Long.MIN_VALUE;

    private final long idleNanos;
    private final long idleMillis;
    private final Ticker ticker;
    private final Clock clock;
    private final SessionEvents events;
    private final Cache<SessionKey, Session> cache;
    private final ConcurrentMap<SessionKey, Session> map;
    private final Policy.VarExpiration<SessionKey, Session> expiration;
    private final LongAdder[] active = adders();
    private final LongAdder[] inFlight = adders();
    private final LongAdder[] upgraded = adders();
    private final LongAdder[] ends = adders();
    /** Per color, the ticker time of the last forced move, or {@link #NEVER}. */
    private final java.util.concurrent.atomic.AtomicBoolean sizeWarned =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final long maxTracked;
    private final AtomicLongArray forcedAt = new AtomicLongArray(new long[] {NEVER, NEVER});
    /** The same in epoch seconds, for pin cookies of sessions the table does not hold. */
    private final AtomicLongArray forcedAtEpochSecond = new AtomicLongArray(new long[] {NEVER, NEVER});

    /**
     * @param idleTimeout inactivity after which a session is forgotten
     * @param ticker the time source of expiry (tests drive one by hand)
     * @param clock wall time, for persistence and for the instants reported to operators
     * @param scheduler wakes the table at the next expiry ({@link Scheduler#systemScheduler()} in production)
     * @param executor runs the table's maintenance and scheduled expiry
     * @param events told of sessions started and ended (the metrics)
     */
    public SessionTable(
            Duration idleTimeout,
            Ticker ticker,
            Clock clock,
            Scheduler scheduler,
            Executor executor,
            SessionEvents events) {
        this(idleTimeout, ticker, clock, scheduler, executor, events, 0);
    }

    /**
     * @param maxTracked the most sessions held at once, 0 for no bound. Past it Caffeine drops the least
     *     valuable entries; their clients are still routed by their pin cookie, only the counts lose them.
     */
    public SessionTable(
            Duration idleTimeout,
            Ticker ticker,
            Clock clock,
            Scheduler scheduler,
            Executor executor,
            SessionEvents events,
            long maxTracked) {
        requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
        this.idleNanos = idleTimeout.toNanos();
        this.idleMillis = idleTimeout.toMillis();
        this.ticker = requireNonNull(ticker, "ticker");
        this.clock = requireNonNull(clock, "clock");
        this.events = requireNonNull(events, "events");
        if (maxTracked < 0) {
            throw new IllegalArgumentException("maxTracked: " + maxTracked + " (expected: >= 0)");
        }
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .ticker(ticker)
                .scheduler(requireNonNull(scheduler, "scheduler"))
                .executor(requireNonNull(executor, "executor"));
        if (maxTracked > 0) {
            builder.maximumSize(maxTracked);
        }
        this.maxTracked = maxTracked;
        this.cache = builder.expireAfter(new IdleExpiry(idleNanos))
                .evictionListener(this::evicted)
                .build();
        this.map = cache.asMap();
        this.expiration = cache.policy().expireVariably().orElseThrow();
    }

    /**
     * A bounded table on the given time, expiring on Caffeine's system scheduler (production).
     *
     * @param maxTracked the most sessions held at once ({@code teal.sessions.max-tracked})
     */
    public static SessionTable create(
            Duration idleTimeout, Ticker ticker, Clock clock, SessionEvents events, long maxTracked) {
        return new SessionTable(
                idleTimeout, ticker, clock, Scheduler.systemScheduler(), ForkJoinPool.commonPool(), events, maxTracked);
    }

    /** A table on the system clocks, expiring on Caffeine's system scheduler. */
    public static SessionTable create(Duration idleTimeout, SessionEvents events) {
        return create(idleTimeout, Ticker.systemTicker(), Clock.systemUTC(), events);
    }

    /**
     * A table on the given time (in production a {@link CoarseTime}, shared with the router: it makes the
     * per-request path a third cheaper), expiring on Caffeine's system scheduler.
     */
    public static SessionTable create(Duration idleTimeout, Ticker ticker, Clock clock, SessionEvents events) {
        return new SessionTable(
                idleTimeout, ticker, clock, Scheduler.systemScheduler(), ForkJoinPool.commonPool(), events);
    }

    /**
     * Starts a request of the session {@code key}. Known: its pinned color (moved to the other one first
     * if its color is being drained by force). Unknown: re-created on the color of {@code pin} when that
     * valid cookie is within the idle timeout, else a new session on {@code offered}.
     *
     * @param offered the split's color for a new session
     * @param pin the request's valid pin cookie, or null
     */
    public Visit begin(SessionKey key, Color offered, PinCookie pin) {
        requireNonNull(key, "key");
        requireNonNull(offered, "offered");
        Begin begin = new Begin(offered, pin, ticker.read());
        map.compute(key, begin);
        inFlight[begin.visit.color().ordinal()].increment();
        return begin.visit;
    }

    /** Starts a request of the session {@code key} if the table holds it; null (and nothing done) if not. */
    public Visit beginIfPresent(SessionKey key) {
        requireNonNull(key, "key");
        Begin begin = new Begin(Color.BLUE, null, ticker.read());
        map.computeIfPresent(key, begin);
        if (begin.visit == null) {
            return null;
        }
        inFlight[begin.visit.color().ordinal()].increment();
        return begin.visit;
    }

    /**
     * Starts a request that has no session key (e.g. before the application set its cookie): counted in
     * flight for its color, not kept in the table. Its color: {@code pin}'s when that valid cookie is
     * recent (the other one if that color is being drained by force), else {@code offered}.
     */
    public Visit beginKeyless(Color offered, PinCookie pin) {
        requireNonNull(offered, "offered");
        Color color = offered;
        if (pin != null && recent(pin, clock.instant().getEpochSecond())) {
            color = forced(pin) ? pin.color().other() : pin.color();
        }
        inFlight[color.ordinal()].increment();
        return new Visit(null, color, Visit.Kind.KEYLESS);
    }

    /**
     * Ends a request: one fewer in flight, last activity now; when none is left open the idle timeout
     * starts. Idempotent: returns false, doing nothing, if the visit had already ended.
     */
    public boolean end(Visit visit) {
        requireNonNull(visit, "visit");
        if (!visit.markEnded()) {
            return false;
        }
        inFlight[visit.color().ordinal()].decrement();
        long now = ticker.read();
        change(visit.session(), s -> s.requestEnded(now));
        return true;
    }

    /**
     * The visit's request was upgraded (e.g. {@code 101} to a WebSocket): the session stays active until
     * {@link #upgradeClosed}. Call it before {@link #end}, so the session is never idle in between.
     *
     * @throws IllegalStateException when the visit has ended or was already upgraded
     */
    public void upgradeOpened(Visit visit) {
        requireNonNull(visit, "visit");
        if (visit.hasEnded() || !visit.markUpgradeOpened()) {
            throw new IllegalStateException(visit + ": upgradeOpened after end or twice (expected: once, before end)");
        }
        upgraded[visit.color().ordinal()].increment();
        change(visit.session(), Session::upgradeOpened);
    }

    /** The visit's upgraded connection closed. Idempotent: false, doing nothing, if none was open. */
    public boolean upgradeClosed(Visit visit) {
        requireNonNull(visit, "visit");
        if (!visit.markUpgradeClosed()) {
            return false;
        }
        upgraded[visit.color().ordinal()].decrement();
        long now = ticker.read();
        change(visit.session(), s -> s.upgradeClosed(now));
        return true;
    }

    /**
     * Learns a session without a request in it (the application just set its cookie): created on
     * {@code color} if unknown, otherwise only touched (its color stays).
     */
    public Session adopt(SessionKey key, Color color) {
        requireNonNull(key, "key");
        requireNonNull(color, "color");
        long now = ticker.read();
        return map.compute(key, (k, current) -> {
            if (current != null) {
                current.touch(now);
                return current;
            }
            started(color);
            return new Session(k, color, now, now);
        });
    }

    /** Ends the session at once (the application logged it out), counted as {@code closed}; false if unknown. */
    public boolean close(SessionKey key) {
        requireNonNull(key, "key");
        boolean[] closed = {false};
        map.computeIfPresent(key, (k, current) -> {
            ended(current.color(), EndReason.CLOSED);
            closed[0] = true;
            return null;
        });
        return closed[0];
    }

    /**
     * Moves every session pinned to {@code from} now to the other color on its next request, counted as
     * {@code forced}; sessions pinned later (if {@code from} gets a share again) stay. Cheap: it records
     * the instant, the sessions move as they come back.
     */
    public void forceMove(Color from) {
        requireNonNull(from, "from");
        forcedAt.set(from.ordinal(), ticker.read());
        forcedAtEpochSecond.set(from.ordinal(), clock.instant().getEpochSecond());
    }

    /** Sessions pinned to {@code color} that have not idled out or ended. */
    public long activeSessions(Color color) {
        return active[color.ordinal()].sum();
    }

    /** Requests routed to {@code color} being served now (keyless ones included). */
    public long inFlight(Color color) {
        return inFlight[color.ordinal()].sum();
    }

    /** Open upgraded connections on {@code color}. */
    public long upgraded(Color color) {
        return upgraded[color.ordinal()].sum();
    }

    /** Sessions that have left {@code color} since start, for any reason: the drain rate's source. */
    public long endedTotal(Color color) {
        return ends[color.ordinal()].sum();
    }

    /** Entries in the table (approximate while it changes). */
    public long size() {
        return cache.estimatedSize();
    }

    /**
     * The latest expiry among each color's sessions, assuming none comes back (a busy session counts as
     * expiring one idle timeout from now). A full scan: for the drain's upper bound, about once a second,
     * never per request. Colors without sessions are absent.
     */
    public Map<Color, Instant> latestExpiries() {
        long now = ticker.read();
        long[] latest = {NEVER, NEVER};
        boolean[] any = {false, false};
        for (Session s : map.values()) {
            long expiry = (s.busy() ? now : s.lastSeen()) + idleNanos;
            int c = s.color().ordinal();
            if (!any[c] || expiry - latest[c] > 0) {
                latest[c] = expiry;
                any[c] = true;
            }
        }
        Map<Color, Instant> result = new EnumMap<>(Color.class);
        Instant wallNow = clock.instant();
        for (Color c : Color.values()) {
            if (any[c.ordinal()]) {
                result.put(c, wallNow.plusNanos(latest[c.ordinal()] - now));
            }
        }
        return result;
    }

    /** {@link #latestExpiries()} of one color: the drain's upper bound; empty when it has no session. */
    public Optional<Instant> latestExpiry(Color color) {
        return Optional.ofNullable(latestExpiries().get(color));
    }

    /**
     * Up to {@code limit} sessions pinned to {@code color} (null: both), most recently active first, for
     * {@code /sessions}. A full scan keeping the {@code limit} most recent: a debugging page, never per request.
     */
    public List<SessionView> page(Color color, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        return SessionPages.mostRecent(limit == 0 ? List.of() : map.values(), color, limit, ticker.read());
    }

    /**
     * Writes the table to {@code file} atomically (on graceful shutdown), so that counts and drain state
     * survive a restart. Sessions busy now are written as active now.
     *
     * @return the number of sessions written
     */
    public int save(Path file) throws IOException {
        requireNonNull(file, "file");
        List<SessionTableFile.Entry> entries = SessionTableFile.entries(map.values(), ticker.read(), clock.millis());
        SessionTableFile.write(file, clock.millis(), entries);
        return entries.size();
    }

    /**
     * Reads back a table written by {@link #save} and deletes the file, so that a later crash (which
     * writes nothing) cannot bring back a stale table: a start without a table is the safe case (see
     * {@link DrainTracker}). Sessions that expired meanwhile are dropped; sessions already in the table are
     * kept as they are.
     *
     * @return whether there was a file, how many sessions came back and how many had expired
     * @throws IOException when the file cannot be read or is not a session table (it is left in place)
     */
    public Restored load(Path file) throws IOException {
        requireNonNull(file, "file");
        List<SessionTableFile.Entry> entries = SessionTableFile.read(file);
        if (entries == null) {
            return Restored.NONE;
        }
        long now = ticker.read();
        long wallNow = clock.millis();
        int loaded = 0;
        for (SessionTableFile.Entry e : entries) {
            loaded += restore(e, now, wallNow) ? 1 : 0;
        }
        SessionTableFile.delete(file);
        return new Restored(true, loaded, entries.size() - loaded);
    }

    /**
     * What {@link #load} brought back.
     *
     * @param found whether there was a saved table: if not (first start, or after a crash), sessions this
     *     instance never saw may still come back, which {@link DrainTracker} must assume
     * @param loaded sessions restored
     * @param expired sessions dropped: idled out while teal was down (or already in the table)
     */
    public record Restored(boolean found, int loaded, int expired) {
        public static final Restored NONE = new Restored(false, 0, 0);
    }

    /** Runs pending maintenance, including expiry, now (for tests driving a manual ticker). */
    public void cleanUp() {
        cache.cleanUp();
    }

    Duration idleTimeout() {
        return Duration.ofNanos(idleNanos);
    }

    /** Puts a saved session back with the time it had left; false if that ran out or the key is taken. */
    private boolean restore(SessionTableFile.Entry e, long now, long wallNow) {
        long remainingMillis = Math.min(idleMillis, e.lastSeenMillis() + idleMillis - wallNow);
        if (remainingMillis <= 0) {
            return false;
        }
        Session s = new Session(
                e.key(),
                e.color(),
                now - Math.max(0, wallNow - e.pinnedAtMillis()) * 1_000_000,
                now - Math.max(0, wallNow - e.lastSeenMillis()) * 1_000_000);
        if (expiration.putIfAbsent(e.key(), s, Duration.ofMillis(remainingMillis)) != null) {
            return false;
        }
        active[e.color().ordinal()].increment();
        return true;
    }

    private boolean recent(PinCookie pin, long nowEpochSecond) {
        long age = nowEpochSecond - pin.issuedAt();
        return age * 1000 <= idleMillis;
    }

    private boolean forced(Session s) {
        long at = forcedAt.get(s.color().ordinal());
        return at != NEVER && s.pinnedAt() - at <= 0;
    }

    private boolean forced(PinCookie pin) {
        long at = forcedAtEpochSecond.get(pin.color().ordinal());
        return at != NEVER && pin.issuedAt() <= at;
    }

    private void started(Color color) {
        active[color.ordinal()].increment();
        events.started(color);
    }

    private void ended(Color color, EndReason reason) {
        active[color.ordinal()].decrement();
        ends[color.ordinal()].increment();
        events.ended(color, reason);
    }

    /**
     * Changes a session inside its entry's critical section, so that Caffeine recomputes its expiry under
     * the same per-entry lock eviction takes (a busy session can never expire in between). Does nothing
     * when the entry is gone or holds another session of the same key.
     */
    private void change(Session session, java.util.function.Consumer<Session> change) {
        if (session != null) {
            map.computeIfPresent(session.key(), (k, current) -> {
                if (current == session) {
                    change.accept(current);
                }
                return current;
            });
        }
    }

    private void evicted(SessionKey key, Session session, RemovalCause cause) {
        if (session == null || !cause.wasEvicted()) {
            return;
        }
        if (cause == RemovalCause.SIZE && sizeWarned.compareAndSet(false, true)) {
            // Operators must know their drain counts are now a lower bound; routing is unaffected.
            log.warn(
                    "session table full ({} sessions, teal.sessions.max-tracked): dropping the least active;"
                            + " their clients still follow their pin cookies, drain counts become a lower bound",
                    maxTracked);
        }
        // Expired or dropped for room: either way the table no longer counts it.
        ended(session.color(), EndReason.IDLED);
    }

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[Color.values().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** The remapping of {@link #begin}: decides the visit inside the entry's critical section. */
    private final class Begin implements BiFunction<SessionKey, Session, Session> {
        final Color offered;
        final PinCookie pin;
        final long now;
        Visit visit;

        Begin(Color offered, PinCookie pin, long now) {
            this.offered = offered;
            this.pin = pin;
            this.now = now;
        }

        @Override
        public Session apply(SessionKey key, Session current) {
            if (current == null) {
                Color color = offered;
                Visit.Kind kind = Visit.Kind.STARTED;
                if (pin != null && recent(pin, clock.instant().getEpochSecond())) {
                    color = pin.color();
                    kind = Visit.Kind.RESUMED;
                    if (forced(pin)) {
                        // Never counted active on the old color here, but it was there: count the move.
                        ends[color.ordinal()].increment();
                        events.ended(color, EndReason.FORCED);
                        color = color.other();
                        kind = Visit.Kind.FORCED;
                    }
                }
                Session s = new Session(key, color, now, now);
                s.requestStarted(now);
                started(color);
                visit = new Visit(s, color, kind);
                return s;
            }
            Visit.Kind kind = Visit.Kind.EXISTING;
            if (forced(current)) {
                Color from = current.color();
                ended(from, EndReason.FORCED);
                current.repin(from.other(), now);
                started(from.other());
                kind = Visit.Kind.FORCED;
            }
            current.requestStarted(now);
            visit = new Visit(current, current.color(), kind);
            return current;
        }
    }
}
