package dev.teal.proxy.session;

import static dev.teal.proxy.session.Fixtures.IDLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Scheduler;
import dev.teal.config.Color;
import dev.teal.proxy.session.Fixtures.CountingEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The table's per-request path hands nothing to another thread; its sweep and requests never race wrongly. */
class SessionTableSweepTest {
    private final ManualTime time = new ManualTime();
    private final CountingEvents events = new CountingEvents();

    @Test
    void beginAndEndRunNothingOnTheExecutorNorTheScheduler() {
        AtomicInteger executed = new AtomicInteger();
        AtomicInteger scheduled = new AtomicInteger();
        Scheduler counting = (executor, command, delay, unit) -> {
            scheduled.incrementAndGet();
            return Scheduler.disabledScheduler().schedule(executor, command, delay, unit);
        };
        SessionTable table =
                new SessionTable(IDLE, time, time.clock(), counting, r -> executed.incrementAndGet(), events, 1000);
        int scheduledAtStart = scheduled.get();

        for (int i = 0; i < 10_000; i++) {
            SessionKey key = new SessionKey(i % 100, i % 100);
            Visit v = table.begin(key, Color.BLUE, null);
            table.end(v);
        }
        table.close(new SessionKey(1, 1));
        table.adopt(new SessionKey(1, 1), Color.GREEN);

        assertThat(executed).hasValue(0);
        assertThat(scheduled).hasValue(scheduledAtStart);
        assertThat(table.activeSessions(Color.BLUE) + table.activeSessions(Color.GREEN))
                .isEqualTo(100);
    }

    @Test
    void sweepsEveryTwoHundredthOfTheIdleTimeoutWithinBounds() {
        assertThat(Fixtures.table(time, events).sweepPeriod()).isEqualTo(Duration.ofSeconds(5));
        SessionTable quick = new SessionTable(
                Duration.ofSeconds(20), time, time.clock(), Scheduler.disabledScheduler(), Runnable::run, events);
        assertThat(quick.sweepPeriod()).isEqualTo(Duration.ofMillis(100));
        SessionTable tiny = new SessionTable(
                Duration.ofMillis(200), time, time.clock(), Scheduler.disabledScheduler(), Runnable::run, events);
        assertThat(tiny.sweepPeriod()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aSessionThatIdledOutStartsAfreshOnItsNextRequest() {
        SessionTable table = Fixtures.table(time, events);
        SessionKey key = new SessionKey(7, 7);
        Visit first = table.begin(key, Color.GREEN, null);
        table.end(first);
        time.advance(IDLE);

        assertThat(table.cleanUp()).isEqualTo(1);
        Visit again = table.begin(key, Color.BLUE, null);

        assertThat(again.session()).isNotSameAs(first.session());
        assertThat(again.color()).isEqualTo(Color.BLUE);
        assertThat(again.kind()).isEqualTo(Visit.Kind.STARTED);
        assertThat(events.endedOn(Color.GREEN, EndReason.IDLED)).isEqualTo(1);
    }

    @Test
    void keepsCountsExactWhileSweepsRaceRequestsOfIdlingSessions() throws Exception {
        SessionTable table = Fixtures.table(time, events);
        int keys = 64;
        int threads = 3;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                workers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 50_000; i++) {
                        SessionKey key = new SessionKey((i * 31L + seed) % keys, 0);
                        Visit v = table.begin(key, (i & 1) == 0 ? Color.BLUE : Color.GREEN, null);
                        if (v.session().busy() == false) {
                            throw new AssertionError(v + ": began on a session that is not busy");
                        }
                        if ((i & 7) == 0) {
                            table.close(key);
                        }
                        table.end(v);
                    }
                    return null;
                }));
            }
            // Every session idles out at each sweep unless a request is in it right then.
            Future<?> sweeper = pool.submit(() -> {
                go.await();
                while (!stop.get()) {
                    time.advance(IDLE);
                    table.cleanUp();
                }
                return null;
            });
            go.countDown();
            for (Future<?> f : workers) {
                f.get(60, TimeUnit.SECONDS);
            }
            stop.set(true);
            sweeper.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        long tracked = table.size();
        assertThat(table.inFlight(Color.BLUE) + table.inFlight(Color.GREEN)).isZero();
        assertThat(table.activeSessions(Color.BLUE) + table.activeSessions(Color.GREEN))
                .isEqualTo(tracked);
        for (Color c : Color.values()) {
            long ended = events.endedOn(c, EndReason.IDLED) + events.endedOn(c, EndReason.CLOSED);
            assertThat(events.startedOn(c) - ended).isEqualTo(table.activeSessions(c));
        }
        time.advance(IDLE);
        table.cleanUp();
        assertThat(table.size()).isZero();
        assertThat(table.activeSessions(Color.BLUE) + table.activeSessions(Color.GREEN))
                .isZero();
    }
}
