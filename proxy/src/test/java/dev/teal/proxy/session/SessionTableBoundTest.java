package dev.teal.proxy.session;

import static dev.teal.proxy.session.Fixtures.IDLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Scheduler;
import dev.teal.config.Color;
import dev.teal.proxy.session.Fixtures.CountingEvents;
import org.junit.jupiter.api.Test;

/** {@code teal.sessions.max-tracked}: a flood of cookie-less requests cannot grow the table without bound. */
class SessionTableBoundTest {
    private final ManualTime time = new ManualTime();
    private final CountingEvents events = new CountingEvents();
    private final SessionTable table =
            new SessionTable(IDLE, time, time.clock(), Scheduler.disabledScheduler(), Runnable::run, events, 1000);

    @Test
    void holdsAtMostMaxTrackedSessionsAndCountsWhatItDrops() {
        for (int i = 0; i < 5000; i++) {
            table.end(table.begin(new SessionKey(i, i), Color.BLUE, null));
        }
        table.cleanUp();

        assertThat(table.size()).isLessThanOrEqualTo(1000);
        assertThat(table.activeSessions(Color.BLUE)).isEqualTo(table.size());
        assertThat(table.endedTotal(Color.BLUE)).isEqualTo(5000 - table.size());
    }

    @Test
    void routesADroppedSessionBackToItsColorByItsPin() {
        SessionKey first = new SessionKey(-1, -1);
        PinCookie pin = new PinCookie(first, Color.GREEN, time.clock().instant().getEpochSecond());
        table.end(table.begin(first, Color.GREEN, pin));
        for (int i = 0; i < 5000; i++) {
            table.end(table.begin(new SessionKey(i, i), Color.BLUE, null));
        }
        table.cleanUp();

        Visit again = table.begin(first, Color.BLUE, pin);
        assertThat(again.color()).isEqualTo(Color.GREEN);
    }
}
