package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.rollout.RampGuard;
import dev.teal.admin.rollout.RampRefusedException;
import dev.teal.admin.rollout.RampStep;
import dev.teal.admin.rollout.SettleGuard;
import dev.teal.admin.rollout.StepPhase;
import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.state.Rollout;
import dev.teal.admin.state.RolloutState;
import dev.teal.config.PhaseTrigger;
import dev.teal.config.RolloutSettings;
import dev.teal.proxy.TrafficControl;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches the plan's phases to the rollout: a {@link RampGuard} that runs the gating phases a step
 * reaches before traffic moves (and refuses the step when one fails), starts the {@code after} phases in
 * the background once it moved, and refuses the steps that the phases' state makes unsafe; a {@link
 * SettleGuard} that runs {@code old-drained} (contract) and {@code rolled-back} phases when the drains
 * complete, and holds the rollout until they succeeded.
 *
 * <p>One phase runs at a time. A phase that succeeded in a rollout never runs again in it; one that
 * failed, timed out or was interrupted blocks the steps towards {@code new} until an operator re-runs it
 * ({@link #runByHand}); nothing re-runs by itself. Ramps back towards {@code old} stay possible, except
 * once the contract ran.
 *
 * <p>Threading: decisions are taken under this object's lock, and mark the phases they start under way
 * in the {@link PhaseQueue} before the lock is released; phases run outside it (gating ones on the
 * ramp's thread, the others on the queue's background thread).
 */
public final class PhaseRunner implements RampGuard, SettleGuard, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PhaseRunner.class);

    /** What the gating phases of the step under way did, for its answer. */
    private record StepRun(RampStep step, List<StepPhase> ran, List<Phase> after) {}

    private final PhasePlan plan;
    private final PhaseJournal journal;
    private final PhaseQueue queue;
    private final LiveState state;
    private final TrafficControl control;
    private final Clock clock;
    private StepRun stepRun;
    private String lastHold = "";

    private PhaseRunner(
            PhasePlan plan,
            PhaseJournal journal,
            LiveState state,
            TrafficControl control,
            MeterRegistry meters,
            Clock clock) {
        this.plan = plan;
        this.journal = journal;
        this.state = state;
        this.control = control;
        this.clock = clock;
        this.queue = new PhaseQueue(new PhaseExecution(journal, new PhaseMetrics(meters, plan), clock));
    }

    /**
     * Opens the journal in {@code stateDir} (runs found under way are marked interrupted) and registers
     * the metrics of every phase.
     *
     * @throws dev.teal.admin.state.CorruptStateException when the journal cannot be read back
     */
    public static PhaseRunner start(
            RolloutSettings settings,
            Path stateDir,
            LiveState state,
            TrafficControl control,
            MeterRegistry meters,
            Clock clock) {
        requireNonNull(settings, "settings");
        PhasePlan plan = PhasePlan.of(settings);
        PhaseJournal journal = PhaseJournal.open(stateDir, requireNonNull(clock, "clock"));
        return new PhaseRunner(
                plan,
                journal,
                requireNonNull(state, "state"),
                requireNonNull(control, "control"),
                requireNonNull(meters, "meters"),
                clock);
    }

    // ---------------------------------------------------------------- ramp steps

    @Override
    public Optional<String> check(RampStep step) {
        if (!step.movesTraffic() || plan.isEmpty()) {
            return Optional.empty();
        }
        Rollout before = step.before().rollout();
        Rollout after = step.after().rollout();
        RolloutRef rollout = RolloutRef.of(after);
        int from = step.newPercentBefore();
        int to = step.newPercentAfter();
        List<Phase> gating;
        synchronized (this) {
            if (before.state() == RolloutState.CONTRACTED && !step.nextRelease()) {
                return Optional.of(contracted(before));
            }
            if (to < from) {
                return backwards(before);
            }
            PhasePlan.Crossing crossing = plan.crossedBy(from, to);
            List<Phase> following = following(crossing, from, rollout.id());
            List<Phase> rerun = new ArrayList<>(crossing.gating());
            rerun.addAll(following);
            Optional<String> blocked = blocker(rollout.id(), rerun);
            if (blocked.isPresent()) {
                return blocked;
            }
            gating = notSucceeded(crossing.gating(), rollout.id());
            if (step.dryRun()) {
                return Optional.empty();
            }
            queue.reserve(gating);
            stepRun = new StepRun(step, new ArrayList<>(), following);
        }
        runGating(step, rollout, gating);
        return Optional.empty();
    }

    private void runGating(RampStep step, RolloutRef rollout, List<Phase> gating) {
        int green = step.before().split().green();
        List<StepPhase> ran = new ArrayList<>();
        try {
            for (Phase phase : gating) {
                JournalEntry entry = queue.runHere(phase, rollout, green);
                StepPhase done = stepPhase(phase, entry.state().id(), entry);
                ran.add(done);
                if (entry.state() != PhaseState.SUCCEEDED) {
                    throw new RampRefusedException(
                            "phase " + phase.name() + " (" + phase.settings().trigger() + ") "
                                    + (entry.state() == PhaseState.TIMED_OUT
                                            ? "timed out"
                                            : entry.state().id())
                                    + ": " + entry.detail() + "; the split stays at green " + green + " %",
                            Optional.of(done));
                }
            }
        } finally {
            queue.release(gating);
            synchronized (this) {
                if (ran.size() < gating.size()
                        || ran.stream().anyMatch(r -> !r.status().equals("succeeded"))) {
                    stepRun = null;
                } else if (stepRun != null && stepRun.step() == step) {
                    stepRun.ran().addAll(ran);
                }
            }
        }
    }

    @Override
    public void stepEnded(RampStep step, boolean applied) {
        StepRun run;
        synchronized (this) {
            run = stepRun;
            if (run == null || run.step() != step) {
                return;
            }
            if (!applied) {
                stepRun = null;
                return;
            }
        }
        if (!run.after().isEmpty()) {
            startInBackground(
                    run.after(),
                    RolloutRef.of(step.after().rollout()),
                    step.after().split().green());
        }
    }

    @Override
    public synchronized List<StepPhase> report(RampStep step, boolean applied) {
        if (!step.movesTraffic() || plan.isEmpty()) {
            return List.of();
        }
        if (step.dryRun()) {
            long rollout = step.after().rollout().id();
            PhasePlan.Crossing crossing = plan.crossedBy(step.newPercentBefore(), step.newPercentAfter());
            List<StepPhase> would = new ArrayList<>();
            notSucceeded(crossing.gating(), rollout).forEach(p -> would.add(stepPhase(p, "would run", null)));
            following(crossing, step.newPercentBefore(), rollout)
                    .forEach(p -> would.add(stepPhase(p, "would start", null)));
            return would;
        }
        StepRun run = stepRun;
        if (run == null || run.step() != step) {
            return List.of();
        }
        stepRun = null;
        List<StepPhase> report = new ArrayList<>(run.ran());
        run.after().forEach(p -> report.add(stepPhase(p, "started", null)));
        return report;
    }

    /** Why a step towards {@code old} is refused: the schema no longer fits it. */
    private Optional<String> backwards(Rollout rollout) {
        for (Phase phase : plan.ofType(PhaseTrigger.Type.OLD_DRAINED)) {
            PhaseState contract = status(phase, rollout.id());
            if (contract == PhaseState.SUCCEEDED) {
                return Optional.of("the old version cannot run on the contracted schema: phase " + phase.name()
                        + " (old-drained) succeeded in rollout " + rollout.id() + ", so " + rollout.oldColor()
                        + " may not take traffic again");
            }
            if (contract == PhaseState.RUNNING || contract == PhaseState.QUEUED) {
                return Optional.of("the old version cannot run on the contracted schema: phase " + phase.name()
                        + " (old-drained) is contracting it now; " + rollout.oldColor()
                        + " may not take traffic while it runs");
            }
        }
        return Optional.empty();
    }

    private static String contracted(Rollout rollout) {
        return "the old version cannot run on the contracted schema: rollout " + rollout.id() + " contracted it once "
                + rollout.oldColor() + " drained. If " + rollout.oldColor() + " now runs the next release, ramp with"
                + " next-release=true to start rollout " + (rollout.id() + 1);
    }

    /**
     * What keeps a step towards {@code new} from going ahead in {@code rollout}: a phase running, or one
     * that did not succeed and that the step itself does not run again ({@code rerun}).
     */
    private Optional<String> blocker(long rollout, List<Phase> rerun) {
        for (Phase phase : plan.phases()) {
            PhaseState status = status(phase, rollout);
            String named = "phase " + phase.name() + " (" + phase.settings().trigger() + ")";
            if (status == PhaseState.RUNNING || status == PhaseState.QUEUED) {
                return Optional.of(named + " is running; wait for it to end (GET /phases)");
            }
            if (phase.settings().trigger().type() == PhaseTrigger.Type.OLD_DRAINED) {
                continue; // the contract runs again when old drains again; it never holds new back
            }
            if (status == PhaseState.INTERRUPTED) {
                return Optional.of(named + " was interrupted: teal stopped while it ran. Check what it did, then"
                        + " re-run it with POST /phases/" + phase.name() + "/run");
            }
            if ((status == PhaseState.FAILED || status == PhaseState.TIMED_OUT) && !rerun.contains(phase)) {
                String detail = journal.last(rollout, phase.name())
                        .map(JournalEntry::detail)
                        .orElse("");
                return Optional.of(named + " " + (status == PhaseState.FAILED ? "failed" : "timed out") + ": " + detail
                        + ". Re-run it with POST /phases/" + phase.name() + "/run, or ramp back");
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code after} phases a step starts: those reached that have not run (or were skipped), and
     * those that failed and that the step reaches again from below, as a gating phase is re-run by the
     * next attempt of its step.
     */
    private List<Phase> following(PhasePlan.Crossing crossing, int from, long rollout) {
        return crossing.after().stream()
                .filter(p -> {
                    PhaseState status = status(p, rollout);
                    return status == PhaseState.PENDING
                            || status == PhaseState.SKIPPED
                            || ((status == PhaseState.FAILED || status == PhaseState.TIMED_OUT)
                                    && from < p.settings().trigger().percent());
                })
                .toList();
    }

    private List<Phase> notSucceeded(List<Phase> phases, long rollout) {
        return phases.stream()
                .filter(p -> status(p, rollout) != PhaseState.SUCCEEDED)
                .toList();
    }

    // ---------------------------------------------------------------- drains

    @Override
    public synchronized Rollout settle(DurableState current, Rollout settling) {
        Rollout rollout = current.rollout();
        PhaseTrigger.Type type;
        if (rollout.state() == RolloutState.DRAINING) {
            type = PhaseTrigger.Type.OLD_DRAINED;
        } else if (rollout.state() == RolloutState.ROLLING_BACK || rollout.state() == RolloutState.RAMPING) {
            type = PhaseTrigger.Type.ROLLED_BACK;
        } else {
            return settling;
        }
        List<Phase> due = plan.ofType(type);
        if (due.isEmpty()) {
            return settling;
        }
        if (due.stream().allMatch(p -> status(p, rollout.id()) == PhaseState.SUCCEEDED)) {
            lastHold = "";
            return type == PhaseTrigger.Type.OLD_DRAINED ? rollout.contracted(clock.instant()) : settling;
        }
        Optional<String> held = settleBlocker(rollout.id());
        if (held.isPresent()) {
            hold(rollout, held.get());
            return rollout;
        }
        List<Phase> toRun = due.stream()
                .filter(p ->
                        status(p, rollout.id()) == PhaseState.PENDING || status(p, rollout.id()) == PhaseState.SKIPPED)
                .toList();
        if (!toRun.isEmpty()) {
            log.info(
                    "Rollout {}: {} drained; starting {} phase(s) {}",
                    rollout.id(),
                    type == PhaseTrigger.Type.OLD_DRAINED ? rollout.oldColor() : rollout.newColor(),
                    type == PhaseTrigger.Type.OLD_DRAINED ? "old-drained" : "rolled-back",
                    toRun.stream().map(Phase::name).toList());
            startInBackground(toRun, RolloutRef.of(rollout), current.split().green());
        }
        return rollout;
    }

    private Optional<String> settleBlocker(long rollout) {
        for (Phase phase : plan.phases()) {
            PhaseState status = status(phase, rollout);
            if (status == PhaseState.RUNNING || status == PhaseState.QUEUED) {
                return Optional.of("phase " + phase.name() + " is running");
            }
            if (status.unsuccessful()) {
                return Optional.of("phase " + phase.name() + " " + status.id() + "; re-run it with POST /phases/"
                        + phase.name() + "/run");
            }
        }
        return Optional.empty();
    }

    private void hold(Rollout rollout, String why) {
        String hold = rollout.id() + why;
        if (!hold.equals(lastHold)) {
            lastHold = hold;
            log.info("Rollout {} waits before completing: {}", rollout.id(), why);
        }
    }

    // ---------------------------------------------------------------- by hand

    /** Whether the plan has a phase of that name. */
    public boolean has(String name) {
        return plan.find(name).isPresent();
    }

    /**
     * Re-runs a phase that failed, timed out, was interrupted or was skipped in the current rollout, in
     * the background; an {@code after} phase takes the phases its failure skipped with it.
     *
     * @return the phases started, in order
     * @throws PhaseRunRefusedException when it cannot run now (why, and what to do, in the message)
     * @throws IllegalArgumentException when the plan has no such phase
     */
    public synchronized List<String> runByHand(String name) {
        Phase phase = plan.find(name)
                .orElseThrow(
                        () -> new IllegalArgumentException("phase: '" + name + "' (expected: a phase of the plan)"));
        RolloutRef rollout = context();
        DurableState current = state.current();
        if (!queue.active().isEmpty()) {
            throw new PhaseRunRefusedException("phase " + String.join(", ", queue.active())
                    + " is running; one phase runs at" + " a time, wait for it to end (GET /phases)");
        }
        PhaseState status = status(phase, rollout.id());
        String named = "phase " + name + " (" + phase.settings().trigger() + ")";
        if (status == PhaseState.SUCCEEDED) {
            throw new PhaseRunRefusedException(named + " already succeeded in rollout " + rollout.id()
                    + "; a phase runs at most once per rollout");
        }
        if (status == PhaseState.PENDING) {
            throw new PhaseRunRefusedException(named + " has not run in rollout " + rollout.id()
                    + "; it runs when the rollout reaches its trigger");
        }
        new DueCheck(current, control.snapshot()).require(phase, rollout);
        List<Phase> run = new ArrayList<>();
        run.add(phase);
        if (phase.settings().trigger().type() == PhaseTrigger.Type.AFTER) {
            int reached = current.split().percent(rollout.newColor());
            for (Phase later : plan.crossedBy(0, reached).after()) {
                if (later != phase && status(later, rollout.id()) == PhaseState.SKIPPED) {
                    run.add(later);
                }
            }
        }
        log.info("Phase {} re-run by hand in {}", name, rollout);
        startInBackground(run, rollout, current.split().green());
        return run.stream().map(Phase::name).toList();
    }

    // ---------------------------------------------------------------- views

    /** Every phase of the plan in the rollout the operator is looking at. */
    public synchronized PhaseBoard board() {
        RolloutRef rollout = context();
        List<PhaseView> views = new ArrayList<>();
        for (Phase phase : plan.phases()) {
            views.add(new PhaseView(
                    phase.name(),
                    phase.settings().trigger().toString(),
                    phase.settings().kind().id(),
                    phase.settings().trigger().type().gates(),
                    status(phase, rollout.id()),
                    journal.last(rollout.id(), phase.name())));
        }
        return new PhaseBoard(rollout, views);
    }

    /** Every run journaled, oldest first. */
    public List<JournalEntry> journal() {
        return journal.entries();
    }

    /**
     * The current rollout, or the next one when a first step towards it already ran phases (say, an
     * expand that failed and refused the step): that is where the operator's attention is.
     */
    private RolloutRef context() {
        DurableState current = state.current();
        Rollout rollout = current.rollout();
        if (rollout.state().complete() && journal.latestRollout() > rollout.id()) {
            var live = rollout.liveWhenSettled(current.split());
            return new RolloutRef(rollout.id() + 1, live, live.other());
        }
        return RolloutRef.of(rollout);
    }

    private PhaseState status(Phase phase, long rollout) {
        Optional<JournalEntry> last = journal.last(rollout, phase.name());
        if (queue.isActive(phase.name())) {
            return last.filter(e -> e.state() == PhaseState.RUNNING).isPresent()
                    ? PhaseState.RUNNING
                    : PhaseState.QUEUED;
        }
        return last.map(JournalEntry::state).orElse(PhaseState.PENDING);
    }

    private void startInBackground(List<Phase> phases, RolloutRef rollout, int green) {
        queue.runInBackground(phases, rollout, green);
    }

    /**
     * Stops the background phases: the one running is stopped and journaled as interrupted; the queued
     * ones stay pending.
     */
    @Override
    public void close() {
        queue.close();
    }

    private static StepPhase stepPhase(Phase phase, String status, JournalEntry entry) {
        return new StepPhase(
                phase.name(),
                phase.settings().trigger().toString(),
                phase.settings().kind().id(),
                status,
                entry == null || entry.detail().isEmpty() ? Optional.empty() : Optional.of(entry.detail()),
                entry == null ? Optional.empty() : Optional.of(entry.output()));
    }
}
