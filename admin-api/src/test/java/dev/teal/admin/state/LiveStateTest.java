package dev.teal.admin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.proxy.Split;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveStateTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void configuredSplitIsOnlyTheInitialValueOfANewStateDirectory() {
        LiveState first = LiveState.open(FileStateStore.open(dir, CLOCK), new Split(10), CLOCK);
        DurableState before = first.current();
        first.change(before, new DurableState(new Split(40), before.rollout()), s -> {});

        LiveState second = LiveState.open(FileStateStore.open(dir, CLOCK), new Split(90), CLOCK);

        assertThat(second.current().split()).isEqualTo(new Split(40));
    }

    @Test
    void failedStoreAppliesNothingAndKeepsTheState() {
        StateStore failing = new StateStore() {
            @Override
            public Optional<StoredState> read() {
                return Optional.empty();
            }

            @Override
            public long replace(DurableState state, long expectedVersion) {
                throw new StateWriteException("disk full", null);
            }

            @Override
            public String describe() {
                return "failing";
            }
        };
        LiveState state = LiveState.open(failing, new Split(0), CLOCK);
        DurableState before = state.current();
        List<DurableState> applied = new ArrayList<>();

        assertThatThrownBy(() -> state.change(before, DurableState.initial(new Split(100), T0), applied::add))
                .isInstanceOf(StateWriteException.class);

        assertThat(applied).isEmpty();
        assertThat(state.current()).isSameAs(before);
    }

    @Test
    void changeComputedFromAnOutdatedStateIsRefused() {
        LiveState state = LiveState.open(FileStateStore.open(dir, CLOCK), new Split(0), CLOCK);
        DurableState stale = state.current();
        state.change(stale, DurableState.initial(new Split(100), T0), s -> {});
        List<DurableState> applied = new ArrayList<>();

        boolean changed = state.change(stale, DurableState.initial(new Split(0), T0), applied::add);

        assertThat(changed).isFalse();
        assertThat(applied).isEmpty();
        assertThat(state.current().split()).isEqualTo(new Split(100));
    }
}
