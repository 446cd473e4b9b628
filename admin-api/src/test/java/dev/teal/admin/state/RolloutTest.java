package dev.teal.admin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    @Test
    void newStateDirAtZeroIsSettledOnBlueWithNoRolloutYet() {
        Rollout r = Rollout.initial(new Split(0), T0);

        assertThat(r.id()).isZero();
        assertThat(r.state()).isEqualTo(RolloutState.SETTLED);
        assertThat(r.liveWhenSettled(new Split(0))).isEqualTo(Color.BLUE);
    }

    @Test
    void newStateDirBetweenZeroAndHundredStartsRolloutOneFromBlueToGreen() {
        Rollout r = Rollout.initial(new Split(30), T0);

        assertThat(r).isEqualTo(new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.RAMPING, T0, T0));
    }

    @Test
    void rampAwayFromSettledStartsTheNextRollout() {
        Rollout settled = Rollout.initial(new Split(0), T0);

        Rollout r = settled.afterRamp(new Split(0), new Split(25), T1);

        assertThat(r).isEqualTo(new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.RAMPING, T1, T1));
    }

    @Test
    void rampStraightToHundredStartsTheRolloutAlreadyDraining() {
        Rollout r = Rollout.initial(new Split(0), T0).afterRamp(new Split(0), new Split(100), T1);

        assertThat(r.state()).isEqualTo(RolloutState.DRAINING);
        assertThat(r.oldColor()).isEqualTo(Color.BLUE);
    }

    @Test
    void reachingHundredOnNewMovesToDrainingAndLeavingItGoesBackToRamping() {
        Rollout ramping = Rollout.initial(new Split(0), T0).afterRamp(new Split(0), new Split(50), T0);

        Rollout draining = ramping.afterRamp(new Split(50), new Split(100), T1);
        Rollout back = draining.afterRamp(new Split(100), new Split(90), T1);

        assertThat(draining.state()).isEqualTo(RolloutState.DRAINING);
        assertThat(draining.changedAt()).isEqualTo(T1);
        assertThat(back.state()).isEqualTo(RolloutState.RAMPING);
        assertThat(back.id()).isEqualTo(ramping.id());
    }

    @Test
    void settlesWhenOldHasDrainedAndNewHasEverything() {
        FakeTrafficControl control = new FakeTrafficControl(new Split(100), Clock.fixed(T1, ZoneOffset.UTC));
        Rollout draining = Rollout.initial(new Split(0), T0).afterRamp(new Split(0), new Split(100), T0);

        Rollout stillDraining = draining.afterObserving(new Split(100), control.snapshot(), T1);
        control.drain(Color.BLUE, DrainState.DRAINED, Optional.empty());
        Rollout settled = draining.afterObserving(new Split(100), control.snapshot(), T1);

        assertThat(stillDraining).isSameAs(draining);
        assertThat(settled.state()).isEqualTo(RolloutState.SETTLED);
        assertThat(settled.liveWhenSettled(new Split(100))).isEqualTo(Color.GREEN);
    }

    @Test
    void nextRolloutAfterSettlingOnGreenGoesBackToBlue() {
        Rollout settledOnGreen = new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.SETTLED, T0, T0);

        Rollout next = settledOnGreen.afterRamp(new Split(100), new Split(90), T1);

        assertThat(next).isEqualTo(new Rollout(2, Color.GREEN, Color.BLUE, RolloutState.RAMPING, T1, T1));
    }

    @Test
    void rollbackToZeroSettlesOnOldOnceNewHasDrained() {
        FakeTrafficControl control = new FakeTrafficControl(new Split(0), Clock.fixed(T1, ZoneOffset.UTC));
        Rollout ramping = Rollout.initial(new Split(0), T0).afterRamp(new Split(0), new Split(25), T0);

        Rollout rolledBack = ramping.afterRamp(new Split(25), new Split(0), T1);
        Rollout stillDraining = rolledBack.afterObserving(new Split(0), control.snapshot(), T1);
        control.drain(Color.GREEN, DrainState.DRAINED, Optional.empty());
        Rollout settled = rolledBack.afterObserving(new Split(0), control.snapshot(), T1);

        assertThat(rolledBack.state()).isEqualTo(RolloutState.ROLLING_BACK);
        assertThat(rolledBack.state().id()).isEqualTo("rolling-back");
        assertThat(stillDraining).isSameAs(rolledBack);
        assertThat(settled.state()).isEqualTo(RolloutState.SETTLED);
        assertThat(settled.liveWhenSettled(new Split(0))).isEqualTo(Color.BLUE);
    }

    @Test
    void aRollbackThatRampsForwardAgainIsRampingOrDrainingAgain() {
        Rollout rollingBack = Rollout.initial(new Split(0), T0)
                .afterRamp(new Split(0), new Split(100), T0)
                .afterRamp(new Split(100), new Split(0), T1);

        assertThat(rollingBack.state()).isEqualTo(RolloutState.ROLLING_BACK);
        assertThat(rollingBack.afterRamp(new Split(0), new Split(10), T1).state())
                .isEqualTo(RolloutState.RAMPING);
        assertThat(rollingBack.afterRamp(new Split(0), new Split(100), T1).state())
                .isEqualTo(RolloutState.DRAINING);
        assertThat(rollingBack.afterRamp(new Split(0), new Split(10), T1).id()).isEqualTo(rollingBack.id());
    }

    @Test
    void aRampingStateAtZeroFromAnEarlierVersionStillSettlesOnceNewHasDrained() {
        FakeTrafficControl control = new FakeTrafficControl(new Split(0), Clock.fixed(T1, ZoneOffset.UTC));
        control.drain(Color.GREEN, DrainState.DRAINED, Optional.empty());
        Rollout old = new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.RAMPING, T0, T0);

        assertThat(old.afterObserving(new Split(0), control.snapshot(), T1).state())
                .isEqualTo(RolloutState.SETTLED);
    }

    @Test
    void transitionTableRefusesSettledToSettled() {
        assertThat(RolloutState.SETTLED.canMoveTo(RolloutState.SETTLED)).isFalse();
        assertThat(RolloutState.SETTLED.canMoveTo(RolloutState.RAMPING)).isTrue();
        assertThat(RolloutState.DRAINING.canMoveTo(RolloutState.SETTLED)).isTrue();
        assertThat(RolloutState.RAMPING.canMoveTo(RolloutState.RAMPING)).isFalse();
    }

    @Test
    void refusesImpossibleCombinations() {
        assertThatThrownBy(() -> new Rollout(1, Color.BLUE, Color.BLUE, RolloutState.RAMPING, T0, T0))
                .hasMessageContaining("old and new are both blue");
        assertThatThrownBy(() -> new Rollout(0, Color.BLUE, Color.GREEN, RolloutState.RAMPING, T0, T0))
                .hasMessageContaining("rollout 0: ramping (expected: settled");
        Rollout draining = new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.DRAINING, T0, T0);
        assertThatThrownBy(() -> new DurableState(new Split(50), draining))
                .hasMessageContaining("green has 50 % (expected: 100)");
    }

    @Test
    void aContractedRolloutIsCompleteAndTheNextRampStartsTheNextRollout() {
        Rollout draining = new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.DRAINING, T0, T0);

        Rollout contracted = draining.contracted(T1);
        Rollout next = contracted.afterRamp(new Split(100), new Split(95), T1.plusSeconds(1));

        assertThat(contracted).isEqualTo(new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.CONTRACTED, T0, T1));
        assertThat(contracted.state().complete()).isTrue();
        assertThat(contracted.liveWhenSettled(new Split(100))).isEqualTo(Color.GREEN);
        assertThat(next)
                .isEqualTo(new Rollout(
                        2, Color.GREEN, Color.BLUE, RolloutState.RAMPING, T1.plusSeconds(1), T1.plusSeconds(1)));
        assertThatThrownBy(() -> new Rollout(1, Color.BLUE, Color.GREEN, RolloutState.RAMPING, T0, T0).contracted(T1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ramping -> contracted");
        assertThatThrownBy(() -> new DurableState(new Split(50), contracted))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rollout 1 is contracted but green has 50 % (expected: 100)");
    }
}
