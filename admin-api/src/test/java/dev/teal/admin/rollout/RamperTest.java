package dev.teal.admin.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.state.FileStateStore;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.state.RolloutState;
import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RamperTest {
    private final Clock clock = Clock.systemUTC();
    private final FakeTrafficControl control = new FakeTrafficControl();

    @TempDir
    Path dir;

    private LiveState state() {
        return LiveState.open(FileStateStore.open(dir, clock), new Split(0), clock);
    }

    @Test
    void storesThenAppliesTheSplitAndStartsARollout() {
        LiveState state = state();
        Ramper ramper = new Ramper(state, control, List.of(), clock);

        RampOutcome outcome = ramper.ramp(new RampRequest(new Split(25), false, false));

        assertThat(outcome.applied()).isTrue();
        assertThat(control.calls()).containsExactly("setSplit 25");
        assertThat(LiveState.open(FileStateStore.open(dir, clock), new Split(0), clock)
                        .current())
                .isEqualTo(state.current());
        assertThat(outcome.changes())
                .containsExactly(
                        "split: green 0 -> 25 %, blue 100 -> 75 %", "rollout 1 started: blue -> green, ramping");
    }

    @Test
    void dryRunChangesNothing() {
        LiveState state = state();
        Ramper ramper = new Ramper(state, control, List.of(), clock);

        RampOutcome outcome = ramper.ramp(new RampRequest(new Split(50), true, false));

        assertThat(outcome.applied()).isFalse();
        assertThat(outcome.step().after().split()).isEqualTo(new Split(50));
        assertThat(control.calls()).isEmpty();
        assertThat(state.current().split()).isEqualTo(new Split(0));
        assertThat(FileStateStore.open(dir, clock).load()).isEmpty();
    }

    @Test
    void forceMovesTheSessionsOfTheColorLeftAtZero() {
        Ramper ramper = new Ramper(state(), control, List.of(), clock);
        ramper.ramp(new RampRequest(new Split(50), false, false));

        RampOutcome outcome = ramper.ramp(new RampRequest(new Split(0), false, true));

        assertThat(outcome.step().forced()).contains(Color.GREEN);
        assertThat(control.calls()).containsExactly("setSplit 50", "setSplit 0", "forceMove green");
    }

    @Test
    void forceIsRefusedForASplitThatLeavesBothColorsAShare() {
        assertThatThrownBy(() -> new RampRequest(new Split(50), false, true))
                .hasMessageContaining("force: true with green 50 (expected: force only with a ramp to 0 or 100");
    }

    @Test
    void guardVetoChangesNothingAndEveryAdmittedGuardHearsTheEnd() {
        LiveState state = state();
        List<String> ended = new ArrayList<>();
        RampGuard admits = new RampGuard() {
            @Override
            public Optional<String> check(RampStep step) {
                return Optional.empty();
            }

            @Override
            public void stepEnded(RampStep step, boolean applied) {
                ended.add("admits " + applied);
            }
        };
        RampGuard vetoes = step -> Optional.of("expand phase failed: relation \"orders\" does not exist");
        Ramper ramper = new Ramper(state, control, List.of(admits, vetoes), clock);

        assertThatThrownBy(() -> ramper.ramp(new RampRequest(new Split(5), false, false)))
                .isInstanceOf(RampRefusedException.class)
                .hasMessage("expand phase failed: relation \"orders\" does not exist");

        assertThat(control.calls()).isEmpty();
        assertThat(state.current().split()).isEqualTo(new Split(0));
        assertThat(ended).containsExactly("admits false");
        // The built-in one-step guard was released too: the next ramp is not refused as concurrent.
        new Ramper(state, control, List.of(), clock).ramp(new RampRequest(new Split(5), false, false));
    }

    @Test
    void secondRampWhileOneIsBeingAppliedIsRefused() throws Exception {
        Ramper ramper = new Ramper(state(), control, List.of(), clock);
        control.closeGate();
        CompletableFuture<RampOutcome> first =
                CompletableFuture.supplyAsync(() -> ramper.ramp(new RampRequest(new Split(25), false, false)));
        assertThat(control.awaitHeldAtGate(Duration.ofSeconds(10))).isTrue();

        assertThatThrownBy(() -> ramper.ramp(new RampRequest(new Split(50), false, false)))
                .isInstanceOf(RampRefusedException.class)
                .hasMessage("a ramp to green 25 % is being applied; retry once it has answered");

        control.openGate();
        assertThat(first.get(10, TimeUnit.SECONDS).applied()).isTrue();
        assertThat(ramper.ramp(new RampRequest(new Split(50), false, false)).applied())
                .isTrue();
    }

    @Test
    void drainWatcherSettlesTheRolloutOnceOldHasDrained() {
        LiveState state = state();
        Ramper ramper = new Ramper(state, control, List.of(), clock);
        ramper.ramp(new RampRequest(new Split(100), false, false));
        DrainWatcher watcher = new DrainWatcher(state, control, clock);

        watcher.run();
        RolloutState whileDraining = state.current().rollout().state();
        control.drain(Color.BLUE, DrainState.DRAINED, Optional.empty());
        watcher.run();

        assertThat(whileDraining).isEqualTo(RolloutState.DRAINING);
        assertThat(state.current().rollout().state()).isEqualTo(RolloutState.SETTLED);
        assertThat(FileStateStore.open(dir, clock)
                        .load()
                        .orElseThrow()
                        .rollout()
                        .state())
                .isEqualTo(RolloutState.SETTLED);
    }
}
