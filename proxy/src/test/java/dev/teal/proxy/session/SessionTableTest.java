package dev.teal.proxy.session;

import static dev.teal.proxy.session.Fixtures.IDLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.config.Color;
import dev.teal.proxy.SessionView;
import dev.teal.proxy.session.Fixtures.CountingEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTableTest {
    private static final SessionKey A = new SessionKey(0xaaaa_aaaa_0000_0001L, 1);
    private static final SessionKey B = new SessionKey(0xbbbb_bbbb_0000_0002L, 2);

    private final ManualTime time = new ManualTime();
    private final CountingEvents events = new CountingEvents();
    private final SessionTable table = Fixtures.table(time, events);

    @TempDir
    Path dir;

    @Test
    void startsANewSessionOnTheOfferedColorAndKeepsItThere() {
        Visit first = table.begin(A, Color.GREEN, null);
        table.end(first);
        Visit second = table.begin(A, Color.BLUE, null);

        assertThat(first.kind()).isEqualTo(Visit.Kind.STARTED);
        assertThat(first.color()).isEqualTo(Color.GREEN);
        assertThat(second.kind()).isEqualTo(Visit.Kind.EXISTING);
        assertThat(second.color()).isEqualTo(Color.GREEN);
        assertThat(second.session()).isSameAs(first.session());
        assertThat(table.activeSessions(Color.GREEN)).isEqualTo(1);
        assertThat(table.activeSessions(Color.BLUE)).isZero();
        assertThat(table.inFlight(Color.GREEN)).isEqualTo(1);
        assertThat(events.startedOn(Color.GREEN)).isEqualTo(1);
    }

    @Test
    void forgetsASessionIdleTimeoutAfterItsLastRequestEnds() {
        table.end(table.begin(A, Color.BLUE, null));
        time.advance(IDLE.minusSeconds(1));
        table.cleanUp();
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(1);

        time.advance(Duration.ofSeconds(1));
        table.cleanUp();

        assertThat(table.activeSessions(Color.BLUE)).isZero();
        assertThat(table.size()).isZero();
        assertThat(events.endedOn(Color.BLUE, EndReason.IDLED)).isEqualTo(1);
        assertThat(table.endedTotal(Color.BLUE)).isEqualTo(1);
    }

    @Test
    void countsFallAsSessionsIdleOut() {
        for (int i = 0; i < 10; i++) {
            table.end(table.begin(new SessionKey(i, i), Color.BLUE, null));
            time.advance(Duration.ofMinutes(1));
        }
        List<Long> counts = new ArrayList<>();
        for (int minute = 0; minute < 31; minute++) {
            table.cleanUp();
            counts.add(table.activeSessions(Color.BLUE));
            time.advance(Duration.ofMinutes(1));
        }

        assertThat(counts).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(counts.get(0)).isEqualTo(10);
        assertThat(counts.get(30)).isZero();
        assertThat(events.endedOn(Color.BLUE, EndReason.IDLED)).isEqualTo(10);
    }

    @Test
    void neverExpiresWhileARequestIsInFlight() {
        Visit visit = table.begin(A, Color.BLUE, null);

        time.advance(IDLE.multipliedBy(3));
        table.cleanUp();
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(1);

        table.end(visit);
        time.advance(IDLE.minusSeconds(1));
        table.cleanUp();
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(1);

        time.advance(Duration.ofSeconds(1));
        table.cleanUp();
        assertThat(table.activeSessions(Color.BLUE)).isZero();
    }

    @Test
    void neverExpiresWhileAWebSocketIsOpen() {
        Visit visit = table.begin(A, Color.GREEN, null);
        table.upgradeOpened(visit);
        table.end(visit);

        time.advance(IDLE.multipliedBy(5));
        table.cleanUp();
        assertThat(table.activeSessions(Color.GREEN)).isEqualTo(1);
        assertThat(table.upgraded(Color.GREEN)).isEqualTo(1);
        assertThat(table.inFlight(Color.GREEN)).isZero();

        table.upgradeClosed(visit);
        time.advance(IDLE);
        table.cleanUp();
        assertThat(table.activeSessions(Color.GREEN)).isZero();
        assertThat(table.upgraded(Color.GREEN)).isZero();
    }

    @Test
    void keepsASessionBusyWhileAnyOfItsConcurrentRequestsIsOpen() {
        Visit one = table.begin(A, Color.BLUE, null);
        Visit two = table.begin(A, Color.BLUE, null);
        table.end(one);

        time.advance(IDLE.multipliedBy(2));
        table.cleanUp();

        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(1);
        assertThat(two.session().inFlight()).isEqualTo(1);
    }

    @Test
    void endingTwiceChangesNothing() {
        Visit visit = table.begin(A, Color.BLUE, null);
        table.begin(A, Color.BLUE, null);

        assertThat(table.end(visit)).isTrue();
        assertThat(table.end(visit)).isFalse();
        assertThat(table.inFlight(Color.BLUE)).isEqualTo(1);
        assertThat(visit.session().inFlight()).isEqualTo(1);
    }

    @Test
    void refusesToUpgradeAnEndedVisit() {
        Visit visit = table.begin(A, Color.BLUE, null);
        table.end(visit);

        assertThatThrownBy(() -> table.upgradeOpened(visit))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("upgradeOpened after end or twice");
        assertThat(table.upgradeClosed(visit)).isFalse();
        assertThat(table.upgraded(Color.BLUE)).isZero();
    }

    @Test
    void closesASessionAtOnceCountedAsClosed() {
        table.end(table.begin(A, Color.GREEN, null));

        assertThat(table.close(A)).isTrue();
        assertThat(table.close(A)).isFalse();
        assertThat(table.close(B)).isFalse();
        assertThat(table.activeSessions(Color.GREEN)).isZero();
        assertThat(events.endedOn(Color.GREEN, EndReason.CLOSED)).isEqualTo(1);
        assertThat(table.begin(A, Color.BLUE, null).kind()).isEqualTo(Visit.Kind.STARTED);
    }

    @Test
    void aRequestThatOutlivesItsClosedSessionDoesNotTouchTheNextOne() {
        Visit old = table.begin(A, Color.GREEN, null);
        table.close(A);
        Visit fresh = table.begin(A, Color.BLUE, null);

        table.end(old);

        assertThat(fresh.session().inFlight()).isEqualTo(1);
        assertThat(table.inFlight(Color.GREEN)).isZero();
        assertThat(table.inFlight(Color.BLUE)).isEqualTo(1);
    }

    @Test
    void resumesAnUnknownSessionOnItsRecentCookiesColor() {
        PinCookie recent = new PinCookie(A, Color.GREEN, time.now().minus(IDLE).getEpochSecond());
        PinCookie old = new PinCookie(
                B, Color.GREEN, time.now().minus(IDLE).minusSeconds(1).getEpochSecond());

        Visit resumed = table.begin(A, Color.BLUE, recent);
        Visit started = table.begin(B, Color.BLUE, old);

        assertThat(resumed.kind()).isEqualTo(Visit.Kind.RESUMED);
        assertThat(resumed.color()).isEqualTo(Color.GREEN);
        assertThat(started.kind()).isEqualTo(Visit.Kind.STARTED);
        assertThat(started.color()).isEqualTo(Color.BLUE);
    }

    @Test
    void knownSessionsKeepTheirColorWhateverTheirCookieSays() {
        table.end(table.begin(A, Color.BLUE, null));

        Visit visit = table.begin(
                A, Color.GREEN, new PinCookie(A, Color.GREEN, time.now().getEpochSecond()));

        assertThat(visit.color()).isEqualTo(Color.BLUE);
    }

    @Test
    void forceMoveRepinsSessionsOfTheColorOnTheirNextRequest() {
        table.end(table.begin(A, Color.BLUE, null));
        table.end(table.begin(B, Color.GREEN, null));
        time.advance(Duration.ofSeconds(1));

        table.forceMove(Color.BLUE);
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(1);
        time.advance(Duration.ofSeconds(1));
        Visit moved = table.begin(A, Color.BLUE, null);
        Visit untouched = table.begin(B, Color.BLUE, null);
        Visit newOnBlue = table.begin(new SessionKey(3, 3), Color.BLUE, null);
        table.end(moved);
        Visit again = table.begin(A, Color.BLUE, null);

        assertThat(moved.kind()).isEqualTo(Visit.Kind.FORCED);
        assertThat(moved.color()).isEqualTo(Color.GREEN);
        assertThat(untouched.kind()).isEqualTo(Visit.Kind.EXISTING);
        assertThat(newOnBlue.color()).isEqualTo(Color.BLUE);
        assertThat(again.kind()).isEqualTo(Visit.Kind.EXISTING);
        assertThat(again.color()).isEqualTo(Color.GREEN);
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(1);
        assertThat(table.activeSessions(Color.GREEN)).isEqualTo(2);
        assertThat(events.endedOn(Color.BLUE, EndReason.FORCED)).isEqualTo(1);
        assertThat(table.inFlight(Color.BLUE)).isEqualTo(1);
        assertThat(table.inFlight(Color.GREEN)).isEqualTo(2);
    }

    @Test
    void forceMoveAlsoMovesSessionsKnownOnlyByTheirCookie() {
        PinCookie pin = new PinCookie(A, Color.BLUE, time.now().getEpochSecond());
        time.advance(Duration.ofSeconds(1));
        table.forceMove(Color.BLUE);

        Visit visit = table.begin(A, Color.BLUE, pin);
        Visit keyless = table.beginKeyless(Color.BLUE, pin);

        assertThat(visit.kind()).isEqualTo(Visit.Kind.FORCED);
        assertThat(visit.color()).isEqualTo(Color.GREEN);
        assertThat(keyless.color()).isEqualTo(Color.GREEN);
        assertThat(events.endedOn(Color.BLUE, EndReason.FORCED)).isEqualTo(1);
        assertThat(table.activeSessions(Color.BLUE)).isZero();
    }

    @Test
    void countsKeylessRequestsInFlightWithoutKeepingThem() {
        Visit byPin = table.beginKeyless(
                Color.BLUE, new PinCookie(A, Color.GREEN, time.now().getEpochSecond()));
        Visit bySplit = table.beginKeyless(Color.BLUE, null);

        assertThat(byPin.color()).isEqualTo(Color.GREEN);
        assertThat(bySplit.color()).isEqualTo(Color.BLUE);
        assertThat(table.inFlight(Color.GREEN)).isEqualTo(1);
        assertThat(table.size()).isZero();
        table.end(byPin);
        table.end(bySplit);
        assertThat(table.inFlight(Color.GREEN) + table.inFlight(Color.BLUE)).isZero();
    }

    @Test
    void adoptsALearnedSessionOrOnlyTouchesAKnownOne() {
        Session learned = table.adopt(A, Color.GREEN);
        time.advance(IDLE.minusSeconds(10));
        Session again = table.adopt(A, Color.BLUE);
        time.advance(Duration.ofSeconds(20));
        table.cleanUp();

        assertThat(again).isSameAs(learned);
        assertThat(again.color()).isEqualTo(Color.GREEN);
        assertThat(table.activeSessions(Color.GREEN)).isEqualTo(1);
        assertThat(table.beginIfPresent(B)).isNull();
        assertThat(table.beginIfPresent(A).color()).isEqualTo(Color.GREEN);
    }

    @Test
    void reportsTheLatestExpiryOfEachColor() {
        Instant start = time.now();
        table.end(table.begin(A, Color.BLUE, null));
        time.advance(Duration.ofMinutes(5));
        table.end(table.begin(B, Color.BLUE, null));
        time.advance(Duration.ofMinutes(5));

        assertThat(table.latestExpiries())
                .containsOnlyKeys(Color.BLUE)
                .containsEntry(Color.BLUE, start.plus(Duration.ofMinutes(5)).plus(IDLE));

        table.begin(A, Color.BLUE, null);
        assertThat(table.latestExpiries()).containsEntry(Color.BLUE, time.now().plus(IDLE));
        assertThat(table.latestExpiry(Color.BLUE)).contains(time.now().plus(IDLE));
        assertThat(table.latestExpiry(Color.GREEN)).isEmpty();
    }

    @Test
    void pagesSessionsOfOneColorMostRecentlyActiveFirst() {
        SessionKey c = new SessionKey(0xcccc_cccc_0000_0003L, 3);
        table.end(table.begin(A, Color.BLUE, null));
        time.advance(Duration.ofMinutes(2));
        table.begin(B, Color.GREEN, null);
        table.end(table.begin(c, Color.BLUE, null));
        time.advance(Duration.ofMinutes(1));
        table.begin(A, Color.BLUE, null); // busy again: the most recent

        List<SessionView> blue = table.page(Color.BLUE, 10);
        List<SessionView> green = table.page(Color.GREEN, 10);

        assertThat(blue).extracting(SessionView::idPrefix).containsExactly(A.idPrefix(), c.idPrefix());
        assertThat(blue).extracting(SessionView::age).containsExactly(Duration.ofMinutes(3), Duration.ofMinutes(1));
        assertThat(blue).extracting(SessionView::idle).containsExactly(Duration.ZERO, Duration.ofMinutes(1));
        assertThat(green).singleElement().satisfies(v -> {
            assertThat(v.idPrefix()).isEqualTo("bbbbbbbb");
            assertThat(v.idle()).isZero();
        });
        assertThat(table.page(null, 2))
                .extracting(SessionView::idPrefix)
                .containsExactlyInAnyOrder(A.idPrefix(), B.idPrefix());
        assertThat(table.page(Color.BLUE, 1)).extracting(SessionView::idPrefix).containsExactly(A.idPrefix());
        assertThat(table.page(null, 0)).isEmpty();
    }

    @Test
    void savesAndLoadsDroppingSessionsThatExpiredMeanwhile() throws IOException {
        table.end(table.begin(A, Color.BLUE, null));
        time.advance(Duration.ofMinutes(20));
        table.end(table.begin(B, Color.GREEN, null));
        table.begin(new SessionKey(3, 3), Color.GREEN, null); // busy: saved as active now
        Path file = dir.resolve("sessions.bin");
        assertThat(table.save(file)).isEqualTo(3);
        assertThat(Files.size(file)).isEqualTo(24 + 3 * 33);

        time.advance(Duration.ofMinutes(15)); // A (last seen 35 min ago) expired while "down"
        CountingEvents restartedEvents = new CountingEvents();
        SessionTable restarted = Fixtures.table(time, restartedEvents);
        SessionTable.Restored restored = restarted.load(file);

        assertThat(restored).isEqualTo(new SessionTable.Restored(true, 2, 1));
        assertThat(file).doesNotExist();
        assertThat(restarted.activeSessions(Color.BLUE)).isZero();
        assertThat(restarted.activeSessions(Color.GREEN)).isEqualTo(2);
        assertThat(restarted.beginIfPresent(B).color()).isEqualTo(Color.GREEN);
        assertThat(restarted.page(Color.GREEN, 10)).extracting(SessionView::age).containsOnly(Duration.ofMinutes(15));

        // B and 3 keep their remaining time: 15 minutes after the restart, 3 (never touched since) is gone.
        time.advance(Duration.ofMinutes(15));
        restarted.cleanUp();
        assertThat(restarted.activeSessions(Color.GREEN)).isEqualTo(1);
        assertThat(restartedEvents.endedOn(Color.GREEN, EndReason.IDLED)).isEqualTo(1);
    }

    @Test
    void loadsNothingWhenThereIsNoFile() throws IOException {
        assertThat(table.load(dir.resolve("absent.bin"))).isEqualTo(SessionTable.Restored.NONE);
    }

    @Test
    void tellsAnEmptySavedTableFromNoTableAtAll() throws IOException {
        Path file = dir.resolve("sessions.bin");
        table.save(file);

        SessionTable.Restored restored = Fixtures.table(time, events).load(file);

        assertThat(restored.found()).isTrue();
        assertThat(restored.loaded()).isZero();
    }

    @Test
    void refusesADamagedFileAndLeavesItInPlace() throws IOException {
        table.end(table.begin(A, Color.BLUE, null));
        Path file = dir.resolve("sessions.bin");
        table.save(file);
        byte[] bytes = Files.readAllBytes(file);
        record Row(String name, byte[] content, String message) {}
        byte[] flipped = bytes.clone();
        flipped[30] ^= 1;
        List<Row> rows = List.of(
                new Row("flipped bit", flipped, "checksum mismatch"),
                new Row("truncated", java.util.Arrays.copyOf(bytes, bytes.length - 1), "1 entries in 56 bytes"),
                new Row("other format", "hello, this is not it at all".getBytes(), "unknown format"),
                new Row("empty", new byte[0], "truncated"));
        for (Row row : rows) {
            Files.write(file, row.content());
            assertThatThrownBy(() -> Fixtures.table(time, events).load(file))
                    .as(row.name())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(row.message());
            assertThat(file).exists();
        }
    }

    @Test
    void keepsCountsExactUnderConcurrentBeginAndEnd() throws Exception {
        int threads = 8;
        int keys = 50;
        int rounds = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    go.await();
                    List<Visit> open = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        SessionKey key = new SessionKey(0, (i * 31L + seed) % keys);
                        open.add(table.begin(key, (key.lo() & 1) == 0 ? Color.BLUE : Color.GREEN, null));
                        if (open.size() > 3) {
                            Visit v = open.remove(0);
                            if (i % 7 == 0) {
                                table.upgradeOpened(v);
                                table.end(v);
                                table.upgradeClosed(v);
                            } else {
                                table.end(v);
                            }
                        }
                    }
                    open.forEach(table::end);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(table.inFlight(Color.BLUE)).isZero();
        assertThat(table.inFlight(Color.GREEN)).isZero();
        assertThat(table.upgraded(Color.BLUE) + table.upgraded(Color.GREEN)).isZero();
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(keys / 2);
        assertThat(table.activeSessions(Color.GREEN)).isEqualTo(keys / 2);
        assertThat(table.page(null, 100)).hasSize(keys);
        time.advance(IDLE);
        table.cleanUp();
        assertThat(table.activeSessions(Color.BLUE) + table.activeSessions(Color.GREEN))
                .isZero();
    }

    @Test
    void expiresOnItsOwnWithoutTrafficOnTheSystemScheduler() throws Exception {
        CountingEvents counting = new CountingEvents();
        SessionTable real = SessionTable.create(Duration.ofMillis(200), counting);
        real.end(real.begin(A, Color.BLUE, null));
        assertThat(real.activeSessions(Color.BLUE)).isEqualTo(1);

        // No call into the table from here on: only its scheduler can bring the count down.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (counting.endedOn(Color.BLUE, EndReason.IDLED) == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }

        assertThat(counting.endedOn(Color.BLUE, EndReason.IDLED)).isEqualTo(1);
        assertThat(real.activeSessions(Color.BLUE)).isZero();
    }

    @Test
    void refusesANonPositiveIdleTimeout() {
        assertThatThrownBy(() -> SessionTable.create(Duration.ZERO, SessionEvents.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout: PT0S (expected: > 0)");
    }
}
