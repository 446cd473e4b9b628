package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.FakeTrafficControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionHistoryTest {
    @Test
    void keepsTheLastHourOldestFirst() {
        SessionHistory history = new SessionHistory(new FakeTrafficControl(), Duration.ofMinutes(20));
        SessionHistory.Counts none = new SessionHistory.Counts(0, 0, 0);
        for (int i = 0; i < 5; i++) {
            history.add(new SessionHistory.Sample(Instant.ofEpochSecond(i), i, none, none));
        }

        List<Integer> kept =
                history.samples().stream().map(SessionHistory.Sample::green).toList();

        assertThat(kept).containsExactly(2, 3, 4);
    }
}
