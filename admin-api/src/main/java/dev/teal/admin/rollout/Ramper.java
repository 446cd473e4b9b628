package dev.teal.admin.rollout;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.state.Rollout;
import dev.teal.config.Color;
import dev.teal.proxy.Split;
import dev.teal.proxy.TrafficControl;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a ramp: plans the step, lets every guard veto it, stores the new state, and only then
 * moves traffic. A step that fails anywhere before the store leaves everything as it was.
 */
public final class Ramper {
    private static final Logger log = LoggerFactory.getLogger(Ramper.class);

    private final LiveState state;
    private final TrafficControl control;
    private final List<RampGuard> guards;
    private final Clock clock;

    /**
     * @param guards checks after the built-in "one step at a time" rule, in the order they run
     */
    public Ramper(LiveState state, TrafficControl control, List<RampGuard> guards, Clock clock) {
        this.state = requireNonNull(state, "state");
        this.control = requireNonNull(control, "control");
        this.clock = requireNonNull(clock, "clock");
        List<RampGuard> all = new ArrayList<>();
        all.add(new OneStepAtATime());
        all.addAll(requireNonNull(guards, "guards"));
        this.guards = List.copyOf(all);
    }

    /**
     * @throws RampRefusedException when a guard vetoed the step; nothing changed
     * @throws dev.teal.admin.state.StateWriteException when the state could not be stored; nothing changed
     * @throws dev.teal.admin.state.StoreUnreachableException when the shared store is unreachable; nothing
     *     changed
     */
    public RampOutcome ramp(RampRequest request) {
        requireNonNull(request, "request");
        if (!request.dryRun()) {
            // Before any gating phase runs for a step that could not be stored.
            state.requireReachableStore();
        }
        DurableState before = state.current();
        RampStep step = plan(before, request);
        List<RampGuard> admitted = new ArrayList<>();
        boolean applied = false;
        List<String> changes;
        try {
            for (RampGuard guard : guards) {
                Optional<String> veto = guard.check(step);
                if (veto.isPresent()) {
                    throw new RampRefusedException(veto.get());
                }
                admitted.add(guard);
            }
            changes = describe(step);
            if (!request.dryRun()) {
                boolean current = state.change(before, step.after(), after -> apply(step));
                if (!current) {
                    throw new RampRefusedException(
                            "the rollout changed while the step was being checked (here or on another instance);"
                                    + " retry from the current state");
                }
                applied = true;
            }
        } finally {
            for (int i = admitted.size() - 1; i >= 0; i--) {
                admitted.get(i).stepEnded(step, applied);
            }
        }
        List<StepPhase> phases = new ArrayList<>();
        for (RampGuard guard : admitted) {
            phases.addAll(guard.report(step, applied));
        }
        List<String> all = new ArrayList<>(changes);
        phases.forEach(phase -> all.add(phase.sentence()));
        if (applied) {
            log.info("Ramp applied: {}", String.join("; ", all.isEmpty() ? List.of("no change") : all));
        }
        return new RampOutcome(step, applied, all, phases);
    }

    private RampStep plan(DurableState before, RampRequest request) {
        Split target = request.target();
        Rollout rollout = before.rollout().afterRamp(before.split(), target, clock.instant());
        Optional<Color> forced = Optional.empty();
        if (request.force()) {
            forced = Optional.of(target.allTo(Color.GREEN) ? Color.BLUE : Color.GREEN);
        }
        return new RampStep(before, new DurableState(target, rollout), forced, request.dryRun(), request.nextRelease());
    }

    private void apply(RampStep step) {
        if (step.movesTraffic()) {
            control.setSplit(step.after().split());
        }
        step.forced().ifPresent(control::forceMove);
    }

    private static List<String> describe(RampStep step) {
        List<String> changes = new ArrayList<>();
        Split from = step.before().split();
        Split to = step.after().split();
        if (!from.equals(to)) {
            changes.add("split: green " + from.green() + " -> " + to.green() + " %, blue " + from.blue() + " -> "
                    + to.blue() + " %");
        }
        Rollout was = step.before().rollout();
        Rollout is = step.after().rollout();
        if (is.id() != was.id()) {
            changes.add(
                    "rollout " + is.id() + " started: " + is.oldColor() + " -> " + is.newColor() + ", " + is.state());
        } else if (is.state() != was.state()) {
            changes.add("rollout " + is.id() + ": " + was.state() + " -> " + is.state());
        }
        step.forced()
                .ifPresent(color -> changes.add("sessions pinned to " + color + " move to " + color.other()
                        + " on their next request (forced)"));
        return changes;
    }
}
