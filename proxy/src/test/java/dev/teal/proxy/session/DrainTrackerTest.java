package dev.teal.proxy.session;

import static dev.teal.proxy.session.Fixtures.IDLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrainTrackerTest {
    private final ManualTime time = new ManualTime();
    private final SessionTable table = Fixtures.table(time, SessionEvents.NONE);

    @Test
    void aColorWithAShareIsServing() {
        DrainTracker tracker = tracker(true, Optional.empty());

        DrainStatus status = tracker.update(new Split(25)).get(Color.BLUE);

        assertThat(status.state()).isEqualTo(DrainState.SERVING);
        assertThat(status.deadline()).isEmpty();
        assertThat(tracker.update(new Split(25)).get(Color.GREEN).state()).isEqualTo(DrainState.SERVING);
    }

    @Test
    void drainsUntilItsLastSessionIdlesOutThenIsDrained() {
        Instant start = time.now();
        table.end(table.begin(new SessionKey(1, 1), Color.BLUE, null));
        time.advance(Duration.ofMinutes(10));
        table.end(table.begin(new SessionKey(2, 2), Color.BLUE, null));
        DrainTracker tracker = tracker(true, Optional.empty());

        DrainStatus draining = tracker.update(new Split(100)).get(Color.BLUE);

        assertThat(draining.state()).isEqualTo(DrainState.DRAINING);
        assertThat(draining.activeSessions()).isEqualTo(2);
        assertThat(draining.drainingSince()).contains(time.now());
        assertThat(draining.deadline())
                .contains(start.plus(Duration.ofMinutes(10)).plus(IDLE));
        assertThat(tracker.status(Color.GREEN).orElseThrow().state()).isEqualTo(DrainState.SERVING);

        time.advance(IDLE);
        table.cleanUp();
        DrainStatus drained = tracker.update(new Split(100)).get(Color.BLUE);

        assertThat(drained.state()).isEqualTo(DrainState.DRAINED);
        assertThat(drained.activeSessions()).isZero();
        assertThat(drained.deadline()).isEmpty();
    }

    @Test
    void isNotDrainedWhileARequestOrWebSocketIsOpen() {
        DrainTracker tracker = tracker(true, Optional.empty());
        Visit keyless = table.beginKeyless(Color.BLUE, null);
        assertThat(tracker.update(new Split(100)).get(Color.BLUE).state()).isEqualTo(DrainState.DRAINING);
        table.upgradeOpened(keyless);
        table.end(keyless);

        DrainStatus upgraded = tracker.update(new Split(100)).get(Color.BLUE);
        assertThat(upgraded.state()).isEqualTo(DrainState.DRAINING);
        assertThat(upgraded.upgraded()).isEqualTo(1);
        assertThat(upgraded.deadline()).contains(time.now().plus(IDLE));

        table.upgradeClosed(keyless);
        assertThat(tracker.update(new Split(100)).get(Color.BLUE).state()).isEqualTo(DrainState.DRAINED);
    }

    @Test
    void waitsAnIdleTimeoutAfterAStartWithoutARestoredTable() {
        Instant start = time.now();
        DrainTracker tracker = tracker(false, Optional.empty());

        DrainStatus early = tracker.update(new Split(100)).get(Color.BLUE);
        assertThat(early.state()).isEqualTo(DrainState.DRAINING);
        assertThat(early.activeSessions()).isZero();
        assertThat(early.deadline()).contains(start.plus(IDLE));
        assertThat(early.estimate()).contains(start.plus(IDLE));

        time.advance(IDLE.minusSeconds(1));
        assertThat(tracker.update(new Split(100)).get(Color.BLUE).state()).isEqualTo(DrainState.DRAINING);
        time.advance(Duration.ofSeconds(1));
        assertThat(tracker.update(new Split(100)).get(Color.BLUE).state()).isEqualTo(DrainState.DRAINED);
    }

    @Test
    void estimatesTheEndFromTheRecentRateWithinTheDeadline() {
        for (int i = 0; i < 120; i++) {
            table.end(table.begin(new SessionKey(i, i), Color.BLUE, null));
            time.advance(Duration.ofSeconds(15));
        }
        DrainTracker tracker = tracker(true, Optional.empty());
        // Sessions idle out one every 15 s: follow the rate for a while.
        DrainStatus status = null;
        for (int s = 0; s < 600; s++) {
            time.advance(Duration.ofSeconds(1));
            table.cleanUp();
            status = tracker.update(new Split(100)).get(Color.BLUE);
        }

        long remaining = status.activeSessions();
        Duration untilEstimate = Duration.between(time.now(), status.estimate().orElseThrow());
        Duration expected = Duration.ofSeconds(remaining * 15);
        assertThat(remaining).isBetween(75L, 85L);
        assertThat(untilEstimate)
                .isBetween(
                        expected.multipliedBy(8).dividedBy(10),
                        expected.multipliedBy(12).dividedBy(10));
        assertThat(status.estimate().orElseThrow())
                .isBeforeOrEqualTo(status.deadline().orElseThrow());
    }

    @Test
    void movesTheRemainingSessionsOnceMaxWaitHasPassed() {
        SessionKey key = new SessionKey(1, 1);
        table.end(table.begin(key, Color.BLUE, null));
        DrainTracker tracker = tracker(true, Optional.of(Duration.ofMinutes(10)));
        tracker.update(new Split(100));

        time.advance(Duration.ofMinutes(9));
        assertThat(tracker.update(new Split(100)).get(Color.BLUE).forced()).isFalse();
        assertThat(table.begin(key, Color.GREEN, null).color()).isEqualTo(Color.BLUE);

        time.advance(Duration.ofMinutes(1));
        assertThat(tracker.update(new Split(100)).get(Color.BLUE).forced()).isTrue();
        time.advance(Duration.ofSeconds(1));
        Visit moved = table.begin(key, Color.GREEN, null);

        assertThat(moved.kind()).isEqualTo(Visit.Kind.FORCED);
        assertThat(moved.color()).isEqualTo(Color.GREEN);
    }

    @Test
    void restartsTheDrainClockWhenTheColorGetsAShareAgain() {
        table.end(table.begin(new SessionKey(1, 1), Color.BLUE, null));
        DrainTracker tracker = tracker(true, Optional.of(Duration.ofMinutes(10)));
        tracker.update(new Split(100));
        time.advance(Duration.ofMinutes(9));
        tracker.update(new Split(50));
        tracker.update(new Split(100));

        time.advance(Duration.ofMinutes(9));
        DrainStatus status = tracker.update(new Split(100)).get(Color.BLUE);

        assertThat(status.forced()).isFalse();
        assertThat(status.drainingSince()).contains(time.now().minus(Duration.ofMinutes(9)));
    }

    private DrainTracker tracker(boolean restored, Optional<Duration> maxWait) {
        return new DrainTracker(table, IDLE, maxWait, time.clock(), restored);
    }
}
