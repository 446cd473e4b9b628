package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.teal.config.Color;
import dev.teal.proxy.SessionView;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every known session: key → {@link Session} (color, when pinned, last activity, requests in flight,
 * open upgraded connections), in a {@link ConcurrentHashMap}. The per-request path ({@link #begin},
 * {@link #end}) reads the map (no write, no lock) and changes only the session's own entry: one
 * compare-and-set on its state word, one store of its last activity. Nothing is handed to another thread
 * and nobody is woken: the issue-11 profile found Caffeine's write path waking its maintenance executor
 * twice per request (12.8 % of the event loop in {@code Unsafe.unpark}).
 *
 * <p>Expiry is a periodic sweep ({@link #cleanUp}) on the given {@link Scheduler}: every
 * {@link #sweepPeriod} it takes each session idle for {@code idle-timeout} from "idle" to "dead" by a
 * compare-and-set on the same word a request's start increments, so a busy session can never expire and
 * a request never begins on an expired entry. A sweep reads every entry once; at most once per
 * {@code idle-timeout / 200} (between 10 ms and 5 s), so a session is forgotten at most 0.5 % of its idle
 * timeout late, and the sweep costs about {@code size / period} entry reads a second on the scheduler's
 * thread, never on an event loop.
 *
 * <p>Per-color counts (active sessions, in-flight requests, upgraded connections, sessions ended) are kept
 * incrementally in {@link LongAdder}s (a cell per contending thread: no shared cache line between event
 * loops, no wake-up), never by a scan. With {@code max-tracked}, a new session that finds the table full
 * is routed as usual but not kept (counted started and at once ended, as a dropped one was before).
 */
public final class SessionTable implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SessionTable.class);

    /** The file under the state directory that {@link #save} writes and {@link #load} reads, by convention. */
    public static final String FILE_NAME = "sessions.bin";

    private static final long NEVER = Long.MIN_VALUE;
    private static final long MIN_SWEEP_NANOS = Duration.ofMillis(10).toNanos();
    private static final long MAX_SWEEP_NANOS = Duration.ofSeconds(5).toNanos();

    private final long idleNanos;
    private final long idleMillis;
    private final long sweepNanos;
    private final Ticker ticker;
    private final Clock clock;
    private final SessionEvents events;
    private final ConcurrentHashMap<SessionKey, Session> map = new ConcurrentHashMap<>();
    private final LongAdder[] active = adders();
    private final LongAdder[] inFlight = adders();
    private final LongAdder[] upgraded = adders();
    private final LongAdder[] ends = adders();
    private final AtomicBoolean sizeWarned = new AtomicBoolean();
    private final Object sweepLock = new Object();
    private volatile boolean closed;

    private final long maxTracked;
    /** Per color, the ticker time of the last forced move, or {@link #NEVER}. */
    private final AtomicLongArray forcedAt = new AtomicLongArray(new long[] {NEVER, NEVER});
    /** The same in epoch seconds, for pin cookies of sessions the table does not hold. */
    private final AtomicLongArray forcedAtEpochSecond = new AtomicLongArray(new long[] {NEVER, NEVER});

    /**
     * @param idleTimeout inactivity after which a session is forgotten
     * @param ticker the time source of expiry (tests drive one by hand)
     * @param clock wall time, for persistence and for the instants reported to operators
     * @param scheduler runs the expiry sweep every {@link #sweepPeriod} ({@link Scheduler#systemScheduler()}
     *     in production; {@link Scheduler#disabledScheduler()}: only {@link #cleanUp} sweeps)
     * @param executor runs the sweep
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
     * @param maxTracked the most sessions held at once, 0 for no bound. Past it new sessions are not kept;
     *     their clients are still routed by their pin cookie, only the counts lose them.
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
        this.sweepNanos = Math.max(MIN_SWEEP_NANOS, Math.min(MAX_SWEEP_NANOS, idleNanos / 200));
        this.ticker = requireNonNull(ticker, "ticker");
        this.clock = requireNonNull(clock, "clock");
        this.events = requireNonNull(events, "events");
        if (maxTracked < 0) {
            throw new IllegalArgumentException("maxTracked: " + maxTracked + " (expected: >= 0)");
        }
        this.maxTracked = maxTracked;
        Sweeper.start(this, requireNonNull(scheduler, "scheduler"), requireNonNull(executor, "executor"));
    }

    /**
     * A bounded table on the given time, swept on Caffeine's system scheduler (production).
     *
     * @param maxTracked the most sessions held at once ({@code teal.sessions.max-tracked})
     */
    public static SessionTable create(
            Duration idleTimeout, Ticker ticker, Clock clock, SessionEvents events, long maxTracked) {
        return new SessionTable(
                idleTimeout, ticker, clock, Scheduler.systemScheduler(), ForkJoinPool.commonPool(), events, maxTracked);
    }

    /** A table on the system clocks, swept on Caffeine's system scheduler. */
    public static SessionTable create(Duration idleTimeout, SessionEvents events) {
        return create(idleTimeout, Ticker.systemTicker(), Clock.systemUTC(), events);
    }

    /** A table on the given time, swept on Caffeine's system scheduler. */
    public static SessionTable create(Duration idleTimeout, Ticker ticker, Clock clock, SessionEvents events) {
        return create(idleTimeout, ticker, clock, events, 0);
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
        long now = ticker.read();
        while (true) {
            Session current = map.get(key);
            if (current != null) {
                Visit visit = beginOn(current, now);
                if (visit != null) {
                    return visit;
                }
                map.remove(key, current); // dead: help the sweep, then start afresh
                continue;
            }
            Visit visit = beginNew(key, offered, pin, now);
            if (visit != null) {
                return visit;
            }
            // Another request of the same key inserted first: join it.
        }
    }

    /** Starts a request of the session {@code key} if the table holds it; null (and nothing done) if not. */
    public Visit beginIfPresent(SessionKey key) {
        requireNonNull(key, "key");
        Session current = map.get(key);
        return current == null ? null : beginOn(current, ticker.read());
    }

    /**
     * Starts a request that has no session key (e.g. before the application set its cookie): counted in
     * flight for its color, not kept in the table. Its color: {@code pin}'s when that valid cookie is
     * recent (the other one if that color is being drained by force), else {@code offered}.
     */
    public Visit beginKeyless(Color offered, PinCookie pin) {
        requireNonNull(offered, "offered");
        Color color = offered;
        if (pin != null && recent(pin, clock.millis() / 1000)) {
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
        Session session = visit.session();
        if (session != null) {
            session.requestEnded(ticker.read());
        }
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
        Session session = visit.session();
        if (session != null) {
            session.upgradeOpened();
        }
    }

    /** The visit's upgraded connection closed. Idempotent: false, doing nothing, if none was open. */
    public boolean upgradeClosed(Visit visit) {
        requireNonNull(visit, "visit");
        if (!visit.markUpgradeClosed()) {
            return false;
        }
        upgraded[visit.color().ordinal()].decrement();
        Session session = visit.session();
        if (session != null) {
            session.upgradeClosed(ticker.read());
        }
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
        while (true) {
            Session current = map.get(key);
            if (current != null) {
                if (current.touch(now)) {
                    return current;
                }
                map.remove(key, current);
                continue;
            }
            Session s = new Session(key, color, now, now);
            if (!hasRoom()) {
                dropped(color);
                return s;
            }
            if (map.putIfAbsent(key, s) == null) {
                started(color);
                return s;
            }
        }
    }

    /** Ends the session at once (the application logged it out), counted as {@code closed}; false if unknown. */
    public boolean close(SessionKey key) {
        requireNonNull(key, "key");
        Session current = map.get(key);
        if (current == null) {
            return false;
        }
        boolean killed = current.kill();
        map.remove(key, current);
        if (killed) {
            ended(colorOfKilled(current), EndReason.CLOSED);
        }
        return killed;
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
        return map.mappingCount();
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

    /**
     * Sweeps now: forgets every session idle for {@code idle-timeout} (counted {@code idled}). The scheduler
     * calls it every {@link #sweepPeriod}; tests driving a manual ticker call it by hand. One sweep at a
     * time; a full scan of the table, never on an event loop.
     *
     * @return the sessions it expired
     */
    public int cleanUp() {
        synchronized (sweepLock) {
            long idleSince = ticker.read() - idleNanos;
            int expired = 0;
            for (Session s : map.values()) {
                if (s.expireIfIdleSince(idleSince)) {
                    map.remove(s.key(), s);
                    ended(colorOfKilled(s), EndReason.IDLED);
                    expired++;
                } else if (s.dead()) {
                    map.remove(s.key(), s); // closed meanwhile: its closer counted it
                }
            }
            return expired;
        }
    }

    /** How often the scheduler sweeps: {@code idle-timeout / 200}, within 10 ms and 5 s. */
    public Duration sweepPeriod() {
        return Duration.ofNanos(sweepNanos);
    }

    /** Stops the periodic sweep (the table still answers; {@link #cleanUp} still sweeps). */
    @Override
    public void close() {
        closed = true;
    }

    Duration idleTimeout() {
        return Duration.ofNanos(idleNanos);
    }

    /** Puts a saved session back with the time it had left; false if that ran out or the key is taken. */
    private boolean restore(SessionTableFile.Entry e, long now, long wallNow) {
        long remainingMillis = Math.min(idleMillis, e.lastSeenMillis() + idleMillis - wallNow);
        if (remainingMillis <= 0 || !hasRoom()) {
            return false;
        }
        Session s = new Session(
                e.key(),
                e.color(),
                now - Math.max(0, wallNow - e.pinnedAtMillis()) * 1_000_000,
                now - idleNanos + remainingMillis * 1_000_000);
        if (map.putIfAbsent(e.key(), s) != null) {
            return false;
        }
        active[e.color().ordinal()].increment();
        return true;
    }

    /** A request on a session found in the map; null when it turned out dead (expired or closed). */
    private Visit beginOn(Session current, long now) {
        if (!current.requestStarted(now)) {
            return null;
        }
        // Busy from here on: no sweep can expire it while it is moved.
        Visit.Kind kind = Visit.Kind.EXISTING;
        if (forced(current)) {
            // Rare (a forced drain), so a monitor of this session alone: two requests of it move it once.
            synchronized (current) {
                if (forced(current) && !current.dead()) {
                    Color from = current.color();
                    ended(from, EndReason.FORCED);
                    current.repin(from.other(), now);
                    started(from.other());
                    kind = Visit.Kind.FORCED;
                }
            }
        }
        Color color = current.color();
        inFlight[color.ordinal()].increment();
        return new Visit(current, color, kind);
    }

    /**
     * The color to count a session that this thread just killed on: read under the session's monitor, so
     * that a forced move under way (it checked the session alive before the kill) has finished its recount.
     */
    private static Color colorOfKilled(Session s) {
        synchronized (s) {
            return s.color();
        }
    }

    /** A request of a session the map does not hold; null when another request of the key inserted first. */
    private Visit beginNew(SessionKey key, Color offered, PinCookie pin, long now) {
        Color color = offered;
        Visit.Kind kind = Visit.Kind.STARTED;
        boolean forcedPin = false;
        if (pin != null && recent(pin, clock.millis() / 1000)) {
            color = pin.color();
            kind = Visit.Kind.RESUMED;
            if (forced(pin)) {
                forcedPin = true;
                color = color.other();
                kind = Visit.Kind.FORCED;
            }
        }
        Session s = Session.begun(key, color, now);
        boolean room = hasRoom();
        if (room && map.putIfAbsent(key, s) != null) {
            return null;
        }
        if (forcedPin) {
            // Never counted active on the old color here, but it was there: count the move.
            Color from = color.other();
            ends[from.ordinal()].increment();
            events.ended(from, EndReason.FORCED);
        }
        if (room) {
            started(color);
        } else {
            dropped(color);
        }
        inFlight[color.ordinal()].increment();
        return new Visit(s, color, kind);
    }

    private boolean hasRoom() {
        return maxTracked == 0 || map.mappingCount() < maxTracked;
    }

    /** A new session that found the table full: routed, but not kept; counted as started and dropped at once. */
    private void dropped(Color color) {
        if (sizeWarned.compareAndSet(false, true)) {
            // Operators must know their drain counts are now a lower bound; routing is unaffected.
            log.warn(
                    "session table full ({} sessions, teal.sessions.max-tracked): new sessions are not kept;"
                            + " their clients still follow their pin cookies, drain counts become a lower bound",
                    maxTracked);
        }
        events.started(color);
        ends[color.ordinal()].increment();
        events.ended(color, EndReason.IDLED);
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

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[Color.values().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /**
     * Runs {@link #cleanUp} every {@link #sweepPeriod} on the scheduler until the table is closed or
     * collected (it holds the table weakly, so a table a test drops stops being swept).
     */
    private static final class Sweeper implements Runnable {
        private final WeakReference<SessionTable> table;
        private final Scheduler scheduler;
        private final Executor executor;
        private final long periodNanos;

        private Sweeper(SessionTable table, Scheduler scheduler, Executor executor) {
            this.table = new WeakReference<>(table);
            this.scheduler = scheduler;
            this.executor = executor;
            this.periodNanos = table.sweepNanos;
        }

        static void start(SessionTable table, Scheduler scheduler, Executor executor) {
            new Sweeper(table, scheduler, executor).next();
        }

        private void next() {
            scheduler.schedule(executor, this, periodNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            SessionTable t = table.get();
            if (t == null || t.closed) {
                return;
            }
            try {
                t.cleanUp();
            } catch (RuntimeException e) {
                log.warn("session table sweep failed; next one in {}", t.sweepPeriod(), e);
            }
            t = null; // not kept reachable by this frame until the next run
            next();
        }
    }
}
