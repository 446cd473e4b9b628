package dev.teal.admin.rollout;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.state.Rollout;
import dev.teal.admin.state.RolloutState;
import dev.teal.admin.state.StateWriteException;
import dev.teal.admin.state.StoreUnreachableException;
import dev.teal.proxy.TrafficControl;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the rollout on when the data plane reports a drain complete (draining → settled), once every
 * {@link SettleGuard} agrees (the contract phase ran: draining → contracted). Run it periodically; a
 * tick that finds the state busy or the store failing does nothing and the next one tries again.
 */
public final class DrainWatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DrainWatcher.class);

    private final LiveState state;
    private final TrafficControl control;
    private final Clock clock;
    private final List<SettleGuard> guards;
    private final BooleanSupplier leading;

    public DrainWatcher(LiveState state, TrafficControl control, Clock clock) {
        this(state, control, clock, List.of(), () -> true);
    }

    /**
     * @param leading whether this instance is the leader: in a cluster only the leader settles a rollout
     *     (and so starts its contract phase), the others follow the state it stores
     */
    public DrainWatcher(
            LiveState state, TrafficControl control, Clock clock, List<SettleGuard> guards, BooleanSupplier leading) {
        this.state = requireNonNull(state, "state");
        this.control = requireNonNull(control, "control");
        this.clock = requireNonNull(clock, "clock");
        this.guards = List.copyOf(guards);
        this.leading = requireNonNull(leading, "leading");
    }

    @Override
    public void run() {
        if (!leading.getAsBoolean()) {
            return;
        }
        try {
            DurableState before = state.current();
            Rollout next = before.rollout().afterObserving(before.split(), control.snapshot(), clock.instant());
            for (SettleGuard guard : guards) {
                if (next.equals(before.rollout())) {
                    return;
                }
                next = guard.settle(before, next);
            }
            if (next.equals(before.rollout())) {
                return;
            }
            if (state.change(before, new DurableState(before.split(), next), applied -> {})) {
                log.info(
                        "Rollout {} ({} -> {}) {}: {} is live with 100 % and {} has drained",
                        next.id(),
                        next.oldColor(),
                        next.newColor(),
                        next.state() == RolloutState.CONTRACTED ? "contracted" : "settled",
                        next.liveWhenSettled(before.split()),
                        next.liveWhenSettled(before.split()).other());
            }
        } catch (StoreUnreachableException e) {
            log.debug("Drain check skipped: {}", e.getMessage());
        } catch (StateWriteException e) {
            log.warn("Rollout could not be marked settled, will retry: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Drain check failed, will retry", e);
        }
    }
}
