package dev.teal.proxy.routing;

import dev.teal.config.Color;
import dev.teal.config.SessionSettings;
import dev.teal.config.TealSettings;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import dev.teal.proxy.session.CoarseTime;
import dev.teal.proxy.session.CookieCodec;
import dev.teal.proxy.session.CookieSecrets;
import dev.teal.proxy.session.DrainStatus;
import dev.teal.proxy.session.DrainTracker;
import dev.teal.proxy.session.SessionKeys;
import dev.teal.proxy.session.SessionRouter;
import dev.teal.proxy.session.SessionTable;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session layer of one proxy: cookie secrets (from settings or the state directory), the session
 * table (restored from the state directory when a graceful shutdown saved it), the drain tracker, and the
 * router the pipeline asks per request. Drain state is recomputed once a second on a thread of its own,
 * because it scans the table: never on an event loop.
 */
public final class Sessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final CoarseTime time;
    private final SessionTable table;
    private final DrainTracker drain;
    private final SessionRouter router;
    private final Path file;
    private final ScheduledExecutorService ticker;
    private final Supplier<Split> split;
    private volatile Map<Color, DrainStatus> lastDrain;

    private Sessions(
            CoarseTime time,
            SessionTable table,
            DrainTracker drain,
            SessionRouter router,
            Path file,
            Supplier<Split> split) {
        this.time = time;
        this.table = table;
        this.drain = drain;
        this.router = router;
        this.file = file;
        this.split = split;
        this.lastDrain = drain.update(split.get());
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "teal-drain");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.SECONDS);
    }

    public static Sessions open(
            TealSettings settings, MeterRegistry meters, Supplier<Split> split, boolean unseenSessionsPossible) {
        SessionSettings s = settings.sessions();
        CoarseTime time = CoarseTime.start(Duration.ofMillis(1));
        CookieSecrets secrets = CookieSecrets.load(s.cookie().secrets(), settings.stateDir());
        if (secrets.generated()) {
            log.info("no cookie secret configured: generated one in {}", settings.stateDir());
        }
        SessionMeters sessionMeters = new SessionMeters(meters);
        SessionTable table = SessionTable.create(s.idleTimeout(), time, time.clock(), sessionMeters, s.maxTracked());
        Path file = settings.stateDir().resolve(SessionTable.FILE_NAME);
        SessionTable.Restored restored;
        try {
            restored = table.load(file);
            if (restored.found()) {
                log.info(
                        "restored {} sessions from {} ({} had idled out meanwhile)",
                        restored.loaded(),
                        file,
                        restored.expired());
            }
        } catch (IOException e) {
            log.warn("cannot restore the session table from {} ({}): starting without it", file, e.toString());
            restored = SessionTable.Restored.NONE;
        }
        DrainTracker drain = new DrainTracker(
                table,
                s.idleTimeout(),
                settings.drainMaxWait(),
                time.clock(),
                restored.found() || !unseenSessionsPossible);
        SessionRouter router = new SessionRouter(
                new CookieCodec(s.cookie(), secrets.keys(), s.idleTimeout()),
                new SessionKeys(s, secrets.signingKey()),
                table,
                time.clock(),
                sessionMeters);
        Sessions sessions = new Sessions(time, table, drain, router, file, split);
        sessionMeters.bindGauges(meters, table, split, sessions::drain);
        return sessions;
    }

    public SessionRouter router() {
        return router;
    }

    public SessionTable table() {
        return table;
    }

    CoarseTime time() {
        return time;
    }

    /** The drain of a color as of the last refresh (at most a second old). */
    DrainStatus drain(Color color) {
        return lastDrain.get(color);
    }

    /** Recomputes drain state now (after a ramp, or for a status answer). */
    public synchronized Map<Color, DrainStatus> refresh() {
        Map<Color, DrainStatus> previous = lastDrain;
        Map<Color, DrainStatus> next = new EnumMap<>(drain.update(split.get()));
        lastDrain = next;
        for (Color c : Color.values()) {
            DrainStatus before = previous.get(c);
            DrainStatus now = next.get(c);
            if (now.state() != before.state() && now.state() == DrainState.DRAINED) {
                log.info("{} drained: no session, request or upgraded connection left", c);
            } else if (now.forced() && !before.forced()) {
                log.info(
                        "{} drain passed drain.max-wait: its {} remaining sessions move on their next request",
                        c,
                        now.activeSessions());
            }
        }
        return next;
    }

    /** Stops the drain thread and writes the table to the state directory, for the next start. */
    @Override
    public void close() {
        ticker.shutdownNow();
        table.close();
        try {
            int saved = table.save(file);
            log.info("saved {} sessions to {}", saved, file);
        } catch (IOException e) {
            log.warn("cannot save the session table to {} ({}): drain counts restart from zero", file, e.toString());
        } finally {
            time.close();
        }
    }
}
